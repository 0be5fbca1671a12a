/// A claim string kept without a heap allocation when it fits: Swift stores strings of up to
/// 15 UTF-8 bytes inline, and this keeps up to 24 more (the 22-character `jti` this library
/// writes) in three words, building the `String` only when someone reads it.
///
/// Opening a token is on every request, and most callers never read `jti`: this spares them an
/// allocation, a copy and a release per request.
enum InlineText: Sendable {
    case none
    case string(String)
    /// `count` (16 to 24) bytes of valid UTF-8, first byte lowest.
    case inline(count: Int, words: (UInt64, UInt64, UInt64))

    /// Longest text kept inline.
    static let capacity = 24

    init(_ string: String?) {
        self = string.map { .string($0) } ?? .none
    }

    /// `bytes`, which must be valid UTF-8 (the fast claims reader admits printable ASCII only).
    init(validUTF8 bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 15, bytes.count <= Self.capacity else {
            self = .string(String(decoding: bytes, as: UTF8.self))
            return
        }
        // Three word loads (the last one ending at the last byte, shifted down), not a call to
        // memcpy: this runs on every open.
        let n = bytes.count
        let tail = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self).littleEndian >> (8 * UInt64(24 - n))
        let words = (
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
            bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian, tail
        )
        self = .inline(count: n, words: words)
    }

    var string: String? {
        switch self {
        case .none: nil
        case .string(let text): text
        case .inline(let count, let words):
            // Stored little-endian whatever the platform (see `init(validUTF8:)`).
            withUnsafeBytes(of: (words.0.littleEndian, words.1.littleEndian, words.2.littleEndian)) {
                String(decoding: $0.prefix(count), as: UTF8.self)
            }
        }
    }
}
