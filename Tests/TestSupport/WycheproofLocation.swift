import Foundation

/// Where the Project Wycheproof files are (never copied into this repository): the folder named
/// by `$WYCHEPROOF_DIR`, or `../shared/vectors/wycheproof/` beside the package root; nil when
/// neither exists, and the tests that need them skip with a message.
public var wycheproofDirectory: URL? {
    if let fromEnvironment = ProcessInfo.processInfo.environment["WYCHEPROOF_DIR"], !fromEnvironment.isEmpty {
        return URL(fileURLWithPath: fromEnvironment)
    }
    let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/wycheproof")
    return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
}
