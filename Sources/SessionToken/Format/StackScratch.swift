/// Scratch memory for the hot paths: opening decodes a token's parts into it and sealing writes
/// the claims into it. 512 bytes of stack cover every token short of kilobytes of custom
/// claims; larger requests get the heap.
///
/// The stack room is uninitialized (`withUnsafeTemporaryAllocation`): a fixed-size Swift value
/// would be zero-filled on every call, 512 bytes written for nothing. The body is a parameter
/// of this static function, so the temporary allocation's closure captures only that closure,
/// never the sealer (capturing the sealer there copied it, a retain of every array and string
/// of its key ring, shared by all threads, on each call).
package enum StackScratch {
    package static let byteCount = 512

    /// Runs `body` with `byteCount` uninitialized bytes: on the stack when they fit in
    /// `stackBytes` (a constant at every call site), on the heap otherwise. The caller zeroes
    /// what it wrote. Inlinable, so that the other modules of the package (next-auth decoding)
    /// get it specialised and with a constant stack size too, not a generic call.
    @inlinable @inline(__always)
    package static func with<R, E: Error>(
        byteCount: Int, stackBytes: Int = StackScratch.byteCount, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        if byteCount <= stackBytes {
            return try withUnsafeTemporaryAllocation(byteCount: stackBytes, alignment: 16) {
                bytes throws(E) -> R in
                try body(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<byteCount]))
            }
        }
        let heap = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
        defer { heap.deallocate() }
        return try body(heap)
    }
}
