/// The scan both JSON readers make inside a string: sixteen bytes a step, looking for the
/// first that ends the plain run.
package enum StringBytes {
    /// For each of the sixteen bytes at `bytes` (first byte lowest in the first word), 0xFF
    /// when it is `"`, `\`, below 0x20 or above 0x7E, and 0 otherwise. Written on vector
    /// types of explicit lane types, which compile to a few SSE2 (or NEON) instructions; the
    /// bytes 0x80 and above are the negative ones once read as signed, below 0x20 with the
    /// controls. Inlinable: the fast claims reader in SessionToken calls it in its loop.
    @inlinable @inline(__always)
    package static func special(_ bytes: UnsafeRawPointer) -> (UInt64, UInt64) {
        let lanes = bytes.loadUnaligned(as: SIMD16<UInt8>.self)
        let signed = SIMD16<Int8>(truncatingIfNeeded: lanes)
        let special = (lanes .== SIMD16<UInt8>(repeating: UInt8(ascii: "\"")))
            .| (lanes .== SIMD16<UInt8>(repeating: UInt8(ascii: "\\")))
            .| (lanes .== SIMD16<UInt8>(repeating: 0x7F)) .| (signed .< SIMD16<Int8>(repeating: 0x20))
        let marked = SIMD16<UInt8>(repeating: 0).replacing(with: SIMD16<UInt8>(repeating: 0xFF), where: special)
        let words = unsafeBitCast(marked, to: SIMD2<UInt64>.self)
        return (words[0].littleEndian, words[1].littleEndian)
    }

    /// The number of bytes from `start` before the first one that is `"`, `\`, a control, DEL
    /// or non-ASCII (or before the last fifteen of `buffer`, which the caller reads one by one).
    @inline(__always)
    static func plainRun(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var i = start
        while i + 16 <= buffer.count {
            let (low, high) = special(base + i)
            if low != 0 { return i - start + low.trailingZeroBitCount >> 3 }
            if high != 0 { return i - start + 8 + high.trailingZeroBitCount >> 3 }
            i += 16
        }
        return i - start
    }
}
