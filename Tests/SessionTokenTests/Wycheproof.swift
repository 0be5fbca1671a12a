import Foundation
import SessionTokenTestSupport
import XCTest

/// Finds and decodes Project Wycheproof files, which are never copied into this repository:
/// from `$WYCHEPROOF_DIR`, or `../shared/vectors/wycheproof/` beside the package root.
enum Wycheproof {
    static var directory: URL? {
        if let fromEnvironment = ProcessInfo.processInfo.environment["WYCHEPROOF_DIR"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/wycheproof")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
    }

    /// Loads one file, or skips the test with a clear message when the vectors are absent.
    static func load<File: Decodable>(_ name: String, as type: File.Type) throws -> File {
        guard let directory, let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        else {
            throw XCTSkip("Wycheproof vectors not found: set WYCHEPROOF_DIR or place ../shared/vectors/wycheproof beside the package")
        }
        return try JSONDecoder().decode(File.self, from: data)
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
            bytes.append(nibble(high) << 4 | nibble(low))
        }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
