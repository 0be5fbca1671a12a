import Foundation
import SessionTokenTestSupport
import XCTest

/// Finds and decodes Project Wycheproof files (https://github.com/C2SP/wycheproof,
/// `testvectors_v1`), which are never copied into this repository: from `$WYCHEPROOF_DIR`
/// (`wycheproofDirectory`).
enum Wycheproof {
    static var directory: URL? { wycheproofDirectory }

    /// Loads one file, or skips the test with a clear message when the vectors are absent.
    static func load<File: Decodable>(_ name: String, as type: File.Type) throws -> File {
        guard let directory, let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        else {
            throw XCTSkip(wycheproofMissingMessage)
        }
        return try JSONDecoder().decode(File.self, from: data)
    }
}
