/// Scratch memory for the hot paths: opening decodes a token's parts into it and sealing writes
/// the claims into it. 512 bytes of stack cover every token short of kilobytes of custom
/// claims; larger requests get the heap. A fixed buffer rather than
/// `withUnsafeTemporaryAllocation`, whose closure copies its caller's `self` (for the sealer, a
/// retain of every array and string of its key ring, shared by all threads) on each call.
struct StackScratch {
    static let byteCount = 512
    private var words: (
        SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>,
        SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>
    ) = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)

    /// Runs `body` with `byteCount` bytes: on the stack when they fit, on the heap otherwise.
    /// The caller zeroes what it wrote.
    @inline(__always)
    static func with<R, E: Error>(
        byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        if byteCount <= Self.byteCount {
            var stack = StackScratch()
            return try withUnsafeMutableBytes(of: &stack) { bytes throws(E) -> R in
                try body(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<byteCount]))
            }
        }
        let heap = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
        defer { heap.deallocate() }
        return try body(heap)
    }
}
