/// Why an input could not have been a token at all, told from its shape alone: `invalid` keeps
/// its one meaning, and a hint is added when the mistake is plainly in what was pasted.
///
/// The hint is computed from the text only, before any key is used, and names no part of it
/// (only counts and the tool's own words): it can say nothing about which keys exist or whether
/// a tag matched. Both formats the tool opens are compact JWE: five base64url parts separated by
/// dots, the second empty (`dir`).
enum TokenShape {
    /// The formats whose hints differ: next-auth splits a long token over cookies.
    enum Format {
        case native
        case nextAuth
    }

    static let partCount = 5

    /// A hint for `text`, or nil when nothing about its shape is wrong.
    static func hint(for text: String, format: Format) -> String? {
        if text.isEmpty { return "the input is empty" }
        let scalars = Array(text.unicodeScalars)
        let leading = scalars.prefix(while: isSpace).count
        let trailing = scalars.reversed().prefix(while: isSpace).count
        let inner = leading == scalars.count ? [] : scalars[leading..<(scalars.count - trailing)]
        if String(String.UnicodeScalarView(inner.prefix(7))).lowercased() == "bearer " {
            return "remove the \"Bearer \" prefix and pass the token alone"
        }
        if inner.isEmpty { return "the input is only whitespace" }
        if leading + trailing > 0 { return "remove the whitespace around it" }
        if let colon = inner.firstIndex(of: ":"), colon > leading, colon + 1 < inner.endIndex, isSpace(inner[colon + 1]),
           inner[leading..<colon].allSatisfy({ $0.properties.isAlphabetic || $0 == "-" }) {
            return "pass the token alone, not a header line (NAME: VALUE)"
        }
        if scalars.contains(where: isSpace) { return "it has whitespace inside: was it wrapped across lines?" }
        if scalars.contains("=") { return "pass the cookie's value alone, not NAME=VALUE" }
        let parts = scalars.filter { $0 == "." }.count + 1
        if parts != partCount {
            var hint = "a token has \(partCount) parts separated by dots, this has \(parts)"
            // next-auth splits a token longer than about 4 KB over cookies; a long input with too
            // few parts is most likely one of them.
            if format == .nextAuth && parts < partCount && scalars.count >= 1_000 {
                hint += "; a long next-auth token is split over cookies NAME.0, NAME.1, ...: join their values in order"
            } else if parts == 3 {
                hint += ", as a signed JWT has"
            }
            return hint
        }
        return nil
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
