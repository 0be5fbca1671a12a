/// A name compared byte for byte: key IDs and cookie names.
///
/// Swift's `String` equality and hashing follow Unicode canonical equivalence, so `"\u{212A}ey"`
/// (KELVIN SIGN) equals `"Key"`. A name chosen by whoever writes a token header or a cookie must
/// never select a key or shadow a cookie whose bytes differ, so every lookup by such a name goes
/// through this type.
package struct ExactName: Hashable, Sendable {
    /// The name as given.
    package let text: String

    package init(_ text: String) { self.text = text }

    package static func == (lhs: ExactName, rhs: ExactName) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// True when `a` and `b` hold the same bytes.
    package static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// True when `name`'s bytes start with `prefix`'s.
    package static func hasPrefix(_ name: String, _ prefix: String) -> Bool { name.utf8.starts(with: prefix.utf8) }
}
