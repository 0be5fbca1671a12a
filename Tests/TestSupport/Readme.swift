import Foundation

/// The package root, found from this file's path, so tests read committed files without bundling.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Thrown when a test file lacks its snippet markers.
public struct SnippetMarkersMissing: Error, CustomStringConvertible {
    public let description: String
}

/// True when the document at `path` (relative to the package root: README.md or a DocC article)
/// shows, verbatim after `import <module>` for each module and a blank line and followed by the end of its code
/// block, the code a test runs between the lines ending in `begin` and `end` (8-space indented in
/// the test).
public func documentShowsSnippet(
    _ path: String, of testFile: String, begin: String, end: String, importing modules: String...
) throws -> Bool {
    let source = try String(contentsOf: URL(fileURLWithPath: testFile), encoding: .utf8)
    let document = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    guard let first = lines.firstIndex(where: { $0.hasSuffix(begin) }),
        let last = lines.firstIndex(where: { $0.hasSuffix(end) })
    else { throw SnippetMarkersMissing(description: "snippet markers missing in \(testFile)") }
    let block = lines[(first + 1)..<last].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        .joined(separator: "\n")
    let imports = modules.map { "import \($0)\n" }.joined()
    return document.contains(imports + "\n" + block + "\n```")
}
