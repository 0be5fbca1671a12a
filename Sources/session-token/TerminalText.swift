/// What the tool prints reaches a terminal, and much of it is text someone else wrote: claims in
/// a token, a cookie from a client, an ID or an error message from a store. Control characters
/// (C0, DEL, C1: ESC and CSI start sequences that move the cursor, rewrite lines or set the
/// title) and bidirectional controls (which reorder what the reader sees, so that a printed
/// value reads as another) are printed escaped instead.
///
/// The escape is JSON's `\uXXXX`, so that the commands' JSON output stays valid JSON with the
/// same strings: the JSON writer already escapes C0 inside strings, so what is left there is
/// DEL, C1 and bidi controls, which JSON allows raw and reads back from the escape. Tab and
/// carriage return print as a space: the only place they can remain is between tokens of a
/// header `inspect` prints as written, where a space means the same. Line feed stays: it is
/// harmless on a terminal, and `inspect` and `demo` print several lines.
enum TerminalText {
    static func escaping(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x09 || value == 0x0D {
                out += " "
            } else if isUnsafe(value) {
                let hex = String(value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 but line feed, DEL, C1, and the bidi controls: the embeddings and overrides
    /// (U+202A...U+202E), the isolates (U+2066...U+2069) and the marks (U+200E, U+200F and
    /// Arabic's U+061C).
    private static func isUnsafe(_ value: UInt32) -> Bool {
        (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value)
            || value == 0x061C || value == 0x200E || value == 0x200F
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}
