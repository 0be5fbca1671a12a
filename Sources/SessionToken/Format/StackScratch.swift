/// 512 bytes of stack for the hot paths: opening decodes a token's parts into it and sealing
/// writes the claims into it, for every token short of kilobytes of custom claims (larger ones
/// use the heap). A fixed buffer rather than `withUnsafeTemporaryAllocation`, whose closure
/// would copy the sealer, retaining every array and string of its key ring, on each call.
struct StackScratch {
    static let byteCount = 512
    private var words: (
        SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>,
        SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>
    ) = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
}
