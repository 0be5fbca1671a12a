import Foundation
import XCTest

/// The package root, found from this file's path, so tests read committed files without bundling.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Asserts that README.md shows, verbatim after `import <module>` and a blank line, the code a
/// test runs between the lines ending in `begin` and `end` (8-space indented in the test).
public func assertReadmeShowsSnippet(
    of testFile: String, begin: String, end: String, importing module: String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    let source = try String(contentsOf: URL(fileURLWithPath: testFile), encoding: .utf8)
    let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    guard let first = lines.firstIndex(where: { $0.hasSuffix(begin) }),
        let last = lines.firstIndex(where: { $0.hasSuffix(end) })
    else { return XCTFail("snippet markers missing in \(testFile)", file: file, line: line) }
    let block = lines[(first + 1)..<last].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        .joined(separator: "\n")
    XCTAssertTrue(readme.contains("import \(module)\n\n" + block + "\n```"),
                  "README.md must show the snippet of \(testFile) exactly as the test runs it", file: file, line: line)
}
