import Foundation

/// A marked code block of the README.
struct ReadmeBlock {
    enum Kind: Equatable { case file, linesOf }

    /// A marker that is not followed by a whole fenced block.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    let kind: Kind
    let path: String
    /// The block's lines, each ended by a newline.
    let text: String
    /// The marker's line number, from 1.
    let line: Int

    static func all(in readme: String) throws -> [ReadmeBlock] {
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [ReadmeBlock] = []
        for (index, line) in lines.enumerated() {
            let kind: Kind
            let rest: Substring
            if line.hasPrefix("<!-- file: ") {
                (kind, rest) = (.file, line.dropFirst("<!-- file: ".count))
            } else if line.hasPrefix("<!-- lines-of: ") {
                (kind, rest) = (.linesOf, line.dropFirst("<!-- lines-of: ".count))
            } else {
                continue
            }
            guard rest.hasSuffix(" -->") else { throw Malformed(description: "line \(index + 1): a marker ends in ' -->'") }
            guard index + 1 < lines.count, lines[index + 1].hasPrefix("```") else {
                throw Malformed(description: "line \(index + 1): a marker must be followed by a fenced code block")
            }
            guard let close = lines[(index + 2)...].firstIndex(of: "```") else {
                throw Malformed(description: "line \(index + 1): the code block is not closed")
            }
            let body = lines[(index + 2)..<close].map { $0 + "\n" }.joined()
            blocks.append(ReadmeBlock(kind: kind, path: String(rest.dropLast(" -->".count)), text: body, line: index + 1))
        }
        return blocks
    }

    /// The first non-blank line of `block` that is not found, in order, among `file`'s lines;
    /// nil when all are.
    static func firstLineMissing(_ block: String, from file: String) -> String? {
        let fileLines = file.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var next = fileLines.startIndex
        for raw in block.split(separator: "\n") {
            let wanted = raw.trimmingCharacters(in: .whitespaces)
            if wanted.isEmpty { continue }
            guard let found = fileLines[next...].firstIndex(where: { $0 == wanted || $0 == "// " + wanted }) else {
                return wanted
            }
            next = found + 1
        }
        return nil
    }
}
