import Foundation
import SessionTokenTestSupport
import XCTest

/// The README's code blocks that are files of the repository, so that what a user pastes is
/// what CI builds and drives (`make quickstart`). Two markers, each on the line right before a
/// fenced code block, with a path relative to the repository root:
///
/// - `<!-- file: PATH -->`: the block is the file, byte for byte (the file's text is the
///   block's lines, each ended by a newline).
/// - `<!-- lines-of: PATH -->`: every non-blank line of the block, without its surrounding
///   white space, is a line of the file, in the block's order (other lines may come between).
///   A file line that starts with `// ` also matches without it: the file keeps, as a comment,
///   the line a user writes where the file itself must differ (a dependency by URL, where the
///   example depends by path).
final class ReadmeFilesTests: XCTestCase {
    /// The quick starts the README must show whole.
    static let quickStarts = [
        "Examples/QuickStart/Sources/CoreQuickStart/main.swift",
        "Examples/QuickStart/Sources/HummingbirdQuickStart/main.swift",
        "Examples/QuickStart/Sources/VaporQuickStart/main.swift",
    ]

    func testEveryFileBlockIsItsFileByteForByte() throws {
        let blocks = try ReadmeBlock.all(in: readme())
        let files = blocks.filter { $0.kind == .file }
        for quickStart in Self.quickStarts {
            XCTAssertTrue(files.contains { $0.path == quickStart }, "README.md shows no block marked <!-- file: \(quickStart) -->")
        }
        for block in files {
            let file = try Data(contentsOf: packageRoot.appendingPathComponent(block.path))
            guard Data(block.text.utf8) != file else { continue }
            let fileLines = String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let blockLines = block.text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(fileLines, blockLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(fileLines.count, blockLines.count)
            XCTFail(
                "README.md line \(block.line): the block differs from \(block.path) at its line \(first + 1); copy the file into the README (or the README into the file)")
        }
    }

    func testEveryLinesOfBlockOccursInItsFileInOrder() throws {
        let blocks = try ReadmeBlock.all(in: readme()).filter { $0.kind == .linesOf }
        XCTAssertTrue(
            blocks.contains { $0.path == "Examples/QuickStart/Package.swift" },
            "README.md shows no block marked <!-- lines-of: Examples/QuickStart/Package.swift -->")
        for block in blocks {
            let file = try String(contentsOf: packageRoot.appendingPathComponent(block.path), encoding: .utf8)
            if let missing = ReadmeBlock.firstLineMissing(block.text, from: file) {
                XCTFail("README.md line \(block.line): '\(missing)' is not a line of \(block.path) (in the block's order)")
            }
        }
    }

    /// The rules themselves: a block that differs by one byte, or a line out of order, fails.
    func testTheRulesRejectWhatDiffers() throws {
        let readme = "<!-- file: a -->\n```swift\nlet x = 1\n```\n\n<!-- lines-of: b -->\n```swift\nb\na\n```\n"
        let blocks = try ReadmeBlock.all(in: readme)
        XCTAssertEqual(blocks.map(\.kind), [.file, .linesOf])
        XCTAssertEqual(blocks.first?.text, "let x = 1\n")
        XCTAssertNotEqual(blocks.first?.text, "let x = 1 \n")
        XCTAssertNil(ReadmeBlock.firstLineMissing("a\n  b\n", from: "a\n// b\nc\n"))
        XCTAssertEqual(ReadmeBlock.firstLineMissing("b\na\n", from: "a\nb\n"), "a")
        XCTAssertEqual(ReadmeBlock.firstLineMissing("a\nx\n", from: "a\nb\n"), "x")
        XCTAssertThrowsError(try ReadmeBlock.all(in: "<!-- file: a -->\n\n```swift\nx\n```\n"))
        XCTAssertThrowsError(try ReadmeBlock.all(in: "<!-- file: a -->\n```swift\nx\n"))
    }

    private func readme() throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }
}
