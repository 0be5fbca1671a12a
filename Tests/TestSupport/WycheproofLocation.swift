import Foundation

/// Where the Project Wycheproof files are. They come from https://github.com/C2SP/wycheproof,
/// folder `testvectors_v1` (Apache-2.0), and are never copied into this repository: a user clones
/// that repository and sets `WYCHEPROOF_DIR` to its `testvectors_v1` folder. Without the variable
/// a `shared/vectors/wycheproof` folder beside the package root is used when there is one (where
/// this project's CI keeps a copy); nil when neither exists, and the tests that need the files
/// skip with a message that says how to get them (`VectorFiles.wycheproof`).
public var wycheproofDirectory: URL? {
    if let fromEnvironment = ProcessInfo.processInfo.environment["WYCHEPROOF_DIR"], !fromEnvironment.isEmpty {
        return URL(fileURLWithPath: fromEnvironment)
    }
    let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/wycheproof")
    return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
}

