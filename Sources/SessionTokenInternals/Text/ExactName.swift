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

    package static func == (lhs: ExactName, rhs: ExactName) -> Bool { same(lhs.text, rhs.text) }

    package func hash(into hasher: inout Hasher) {
        // Names are native strings with contiguous UTF-8: one `combine(bytes:)` instead of a
        // call per byte (cookie names are hashed on every request).
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            // The same bytes must hash the same however the string stores them.
            Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// True when `a` and `b` hold the same bytes.
    package static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && hasPrefix(a, b)
    }

    /// True when `name`'s bytes start with `prefix`'s.
    package static func hasPrefix(_ name: String, _ prefix: String) -> Bool {
        let fast = name.utf8.withContiguousStorageIfAvailable { name in
            prefix.utf8.withContiguousStorageIfAvailable { prefix in
                name.count >= prefix.count && UnsafeBufferPointer(rebasing: name[..<prefix.count]).elementsEqual(prefix)
            }
        }
        return (fast ?? nil) ?? name.utf8.starts(with: prefix.utf8)
    }
}
