/// A claim string of up to 24 UTF-8 bytes held in three words, with no reference to count:
/// the 22-character `sid` this library writes, built into a `String` only when someone reads
/// it (Swift keeps strings of up to 15 bytes inline, not 22).
///
/// Opening a token is on every request and most callers never read `sid`: this spares them an
/// allocation per request, and keeps ``SessionClaims`` a value that copies without retains.
/// Its comparisons and hashes are inlinable: the revocation check, in SessionTokenRevocation,
/// runs them on every request.
package struct InlineText: Sendable {
    /// `count` bytes of valid UTF-8, first byte lowest in `words.0`.
    @usableFromInline var words: (UInt64, UInt64, UInt64)
    /// The length, or `absent` when there is no text.
    @usableFromInline var count: UInt8

    @usableFromInline static let absent: UInt8 = .max

    /// Longest text kept inline.
    static let capacity = 24

    /// No text.
    package static let none = InlineText(words: (0, 0, 0), count: absent)

    private init(words: (UInt64, UInt64, UInt64), count: UInt8) {
        self.words = words
        self.count = count
    }

    /// `string`'s bytes, or nil when it is longer than ``capacity``.
    package init?(_ string: String) {
        var string = string
        guard let text = string.withUTF8({ InlineText(validUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = text
    }

    /// `bytes`, which must be valid UTF-8 (the fast claims reader admits printable ASCII only),
    /// or nil when they are longer than ``capacity``.
    init?(validUTF8 bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n <= Self.capacity else { return nil }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        if n >= 8 {
            // Whole-word loads, the last one ending at the last byte and shifted down, not a
            // call to memcpy: this runs on every open.
            let last = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self).littleEndian
            words.0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
            if n >= 16 {
                words.1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
                words.2 = last >> (8 * UInt64(24 - n))
            } else {
                words.1 = last >> (8 * UInt64(16 - n))
            }
        } else {
            for i in 0..<n { words.0 |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        }
        self.init(words: words, count: UInt8(n))
    }

    @inlinable package var isAbsent: Bool { count == Self.absent }

    var string: String? {
        guard !isAbsent else { return nil }
        // Stored little-endian whatever the platform (see `init(validUTF8:)`).
        return withUnsafeBytes(of: (words.0.littleEndian, words.1.littleEndian, words.2.littleEndian)) {
            String(decoding: $0.prefix(Int(count)), as: UTF8.self)
        }
    }
}

/// Equal when the bytes are: the words hold the bytes and zeros past them, and the count
/// tells "ab" from "ab\0". Revocations key their user and session IDs by it, so that checking a
/// session makes no `String` of its `sid`.
extension InlineText: Hashable {
    @inlinable package static func == (lhs: InlineText, rhs: InlineText) -> Bool {
        lhs.count == rhs.count && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
    }

    @inlinable package func hash(into hasher: inout Hasher) {
        // Every word and the count: these IDs are chosen by users (a user ID) and fill the
        // revocation tables, so all their bytes go through the hasher's per-process secret
        // seed. A fold of the words into one, hashed alone, let anyone make IDs that share a
        // bucket in every process (hash flooding: loading a set turned quadratic).
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(count)
    }

    /// A multiply-shift hash (Dietzfelbinger's, over the vector of words) under `key`: the
    /// revocation filter's slot, in the high bits. Every byte enters, and `key` is a secret of
    /// the process, so colliding IDs cannot be chosen in advance; three multiplies, not a
    /// SipHash, because every open asks the filter.
    @inlinable @inline(__always)
    package func keyedHash(_ key: (UInt64, UInt64, UInt64, UInt64)) -> UInt64 {
        words.0 &* key.0 &+ words.1 &* key.1 &+ words.2 &* key.2 &+ UInt64(count) &* key.3
    }
}
