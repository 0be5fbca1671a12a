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
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        self = .inline(count: bytes.count, words: words)
    }

    var string: String? {
        switch self {
        case .none: nil
        case .string(let text): text
        case .inline(let count, var words):
            withUnsafeBytes(of: &words) { String(decoding: $0.prefix(count), as: UTF8.self) }
        }
    }
}
