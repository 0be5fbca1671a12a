/// Text that acts on a terminal when printed raw, for the CLI tests that put it into a token, a
/// cookie or a store and check what the tool prints.
public enum HostileText {
    /// NEL and CSI (C1: CSI starts an escape sequence on terminals that read 8-bit controls),
    /// DEL, ESC, and the bidi controls that reorder what a reader sees (embeddings and
    /// overrides U+202A...U+202E, isolates U+2066...U+2069, the marks U+200E, U+200F, U+061C).
    public static let scalars: [Unicode.Scalar] = [
        "\u{85}", "\u{9B}", "\u{7F}", "\u{1B}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{200E}",
        "\u{200F}", "\u{61C}",
    ]

    /// The scalars above that a Cookie header may carry: the parser refuses ESC and DEL itself.
    public static let nonASCII = scalars.filter { !$0.isASCII }

    /// Each scalar after a letter, so that a test sees where each one went: `a<NEL>b<CSI>...`.
    public static func raw(_ chosen: [Unicode.Scalar] = scalars) -> String {
        var text = ""
        for (index, scalar) in chosen.enumerated() {
            text.unicodeScalars.append(letter(index))
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// ``raw(_:)`` as the CLI prints it inside a JSON string: each scalar a lowercase `\uXXXX`
    /// escape. Valid JSON too, so tests also pass it to `--claims` to put the raw text in a token.
    public static func escaped(_ chosen: [Unicode.Scalar] = scalars) -> String {
        var text = ""
        for (index, scalar) in chosen.enumerated() {
            text.unicodeScalars.append(letter(index))
            let hex = String(scalar.value, radix: 16)
            text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return text
    }

    /// The scalars in `output` that must not reach a terminal: controls other than line feed
    /// (C0, DEL, C1) and the bidi controls. Written apart from the tool's own rule, so that a
    /// gap in one is not repeated in the other.
    public static func unsafeScalars(in output: String) -> [String] {
        output.unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value) || value == 0x61C
                || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value)
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    private static func letter(_ index: Int) -> Unicode.Scalar {
        Unicode.Scalar(UInt8(ascii: "a") + UInt8(index % 26))
    }
}
