/// A minimal, bounded reader of a `Cookie` request header (RFC 6265 §5.4's `name=value; ...`):
/// just enough to find the session cookie's chunks. Never traps on any input; a header over the
/// limits reads as no cookies at all.
enum CookieHeader {
    /// Longest header read (nginx's largest default buffer is 8 KiB; this leaves room).
    static let maxHeaderLength = 65_536
    /// Most `name=value` pairs read.
    static let maxPairs = 512

    /// The header's pairs in order, names and values trimmed of spaces and tabs, a value's
    /// surrounding double quotes removed; pairs without `=` skipped. Nil over the limits.
    static func pairs(_ header: String) -> [(name: Substring, value: Substring)]? {
        guard header.utf8.count <= maxHeaderLength else { return nil }
        var result: [(name: Substring, value: Substring)] = []
        for piece in header.split(separator: ";", omittingEmptySubsequences: true) {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = trim(piece[..<equals])
            var value = trim(piece[piece.index(after: equals)...])
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = value.dropFirst().dropLast()
            }
            guard !name.isEmpty else { continue }
            guard result.count < maxPairs else { return nil }
            result.append((name, value))
        }
        return result
    }

    private static func trim(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
