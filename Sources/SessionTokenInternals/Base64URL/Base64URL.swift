import CBase64URL

/// Strict, unpadded base64url (RFC 4648 §5) for the public segments of a token.
///
/// Token segments are public (the header, nonce, ciphertext and tag travel in the clear), so
/// this codec is not constant-time: SSSE3 code (and AVX2 for long segments when decoding)
/// where the processor has it (`CBase64URL`), table-driven loops elsewhere. Key material goes
/// through libsodium's constant-time codec instead (`Sodium.decodeSecretBase64URL`). It
/// accepts only the canonical encoding: no `=`, `+`, `/` or whitespace, no length of the form
/// 4n+1, and the unused low bits of the last character must be zero, so each byte string has
/// exactly one accepted text.
package enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Decoding tables, four of 256 entries: entry `k * 256 + c` is the 6-bit value of character
    /// `c` already shifted into its place in a 24-bit group (`18 - 6k` bits), or `invalid` for a
    /// byte outside the alphabet. A group of four characters is then four loads and three ORs,
    /// and one OR per group collects every invalid mark for a single check at the end.
    private static let decodeTable: [UInt32] = {
        var table = [UInt32](repeating: invalid, count: 1024)
        for (value, char) in alphabet.enumerated() {
            for k in 0..<4 { table[k * 256 + Int(char)] = UInt32(value) << (18 - 6 * k) }
        }
        return table
    }()
    /// Above every 24-bit group value, so an OR of entries has it only if some entry did.
    private static let invalid: UInt32 = 0x8000_0000

    /// Encoding table: entry `v` (a 12-bit value) holds the two characters of `v`, first
    /// character in the low byte, so three input bytes take two loads.
    private static let encodeTable: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 4096)
        for v in 0..<4096 { table[v] = UInt16(alphabet[v >> 6]) | UInt16(alphabet[v & 63]) << 8 }
        return table
    }()

    /// Length of the encoding of `count` bytes.
    @inlinable @inline(__always)
    package static func encodedLength(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Length of the bytes that `count` characters decode to, or nil for an impossible length.
    @inlinable @inline(__always)
    package static func decodedLength(_ count: Int) -> Int? {
        count % 4 == 1 ? nil : count * 3 / 4
    }

    /// Encodes `bytes` into `output`, which must hold `encodedLength(bytes.count)` bytes: with
    /// SSSE3 through the vector path (C, for `pshufb`), elsewhere ``encodeScalar(_:into:)``.
    @inline(__always)
    package static func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let n = bytes.count
        precondition(output.count >= encodedLength(n))
        guard n > 0, let source = bytes.baseAddress, let target = output.baseAddress else { return }
        let vector = sst_base64url_encode(
            source.assumingMemoryBound(to: UInt8.self), n, target.assumingMemoryBound(to: UInt8.self))
        if vector >= 0 { return }
        encodeScalar(bytes, into: output)
    }

    /// ``encode(_:into:)`` without the vector path: table-driven, for processors without
    /// SSSE3 (and for tests, which hold the two paths to the same results).
    package static func encodeScalar(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let n = bytes.count
        precondition(output.count >= encodedLength(n))
        guard n > 0, let source = bytes.baseAddress, let target = output.baseAddress else { return }
        encodeTable.withUnsafeBufferPointer { pairs in
            var i = 0
            var o = 0
            // Six bytes to eight characters per step, one 8-byte store. While eight bytes remain
            // they come from one big-endian 8-byte load (the last two are read, not used).
            while i &+ 8 <= n {
                let word = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let v0 = Int(truncatingIfNeeded: word >> 40)
                let v1 = Int(truncatingIfNeeded: word >> 16) & 0xFF_FFFF
                let eight = UInt64(pairs[v0 >> 12]) | UInt64(pairs[v0 & 0xFFF]) << 16
                    | UInt64(pairs[v1 >> 12]) << 32 | UInt64(pairs[v1 & 0xFFF]) << 48
                target.storeBytes(of: eight.littleEndian, toByteOffset: o, as: UInt64.self)
                i &+= 6
                o &+= 8
            }
            // Then byte loads for the last six, then three at a time.
            while i &+ 6 <= n {
                let v0 = Int(source.load(fromByteOffset: i, as: UInt8.self)) << 16
                    | Int(source.load(fromByteOffset: i &+ 1, as: UInt8.self)) << 8
                    | Int(source.load(fromByteOffset: i &+ 2, as: UInt8.self))
                let v1 = Int(source.load(fromByteOffset: i &+ 3, as: UInt8.self)) << 16
                    | Int(source.load(fromByteOffset: i &+ 4, as: UInt8.self)) << 8
                    | Int(source.load(fromByteOffset: i &+ 5, as: UInt8.self))
                let eight = UInt64(pairs[v0 >> 12]) | UInt64(pairs[v0 & 0xFFF]) << 16
                    | UInt64(pairs[v1 >> 12]) << 32 | UInt64(pairs[v1 & 0xFFF]) << 48
                target.storeBytes(of: eight.littleEndian, toByteOffset: o, as: UInt64.self)
                i &+= 6
                o &+= 8
            }
            while i + 3 <= n {
                let v = Int(source.load(fromByteOffset: i, as: UInt8.self)) << 16
                    | Int(source.load(fromByteOffset: i + 1, as: UInt8.self)) << 8
                    | Int(source.load(fromByteOffset: i + 2, as: UInt8.self))
                let four = UInt32(pairs[v >> 12]) | UInt32(pairs[v & 0xFFF]) << 16
                target.storeBytes(of: four.littleEndian, toByteOffset: o, as: UInt32.self)
                i += 3
                o += 4
            }
            // One or two bytes left: two or three characters, the unused low bits zero.
            let rest = n - i
            guard rest > 0 else { return }
            var v = Int(source.load(fromByteOffset: i, as: UInt8.self)) << 16
            if rest == 2 { v |= Int(source.load(fromByteOffset: i + 1, as: UInt8.self)) << 8 }
            let first = pairs[v >> 12], second = pairs[v & 0xFFF]
            target.storeBytes(of: UInt8(truncatingIfNeeded: first), toByteOffset: o, as: UInt8.self)
            target.storeBytes(of: UInt8(truncatingIfNeeded: first >> 8), toByteOffset: o + 1, as: UInt8.self)
            if rest == 2 { target.storeBytes(of: UInt8(truncatingIfNeeded: second), toByteOffset: o + 2, as: UInt8.self) }
        }
    }

    /// Encodes `bytes` as a String.
    package static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedLength(bytes.count)) { buffer in
            encode(bytes, into: UnsafeMutableRawBufferPointer(buffer))
            return encodedLength(bytes.count)
        }
    }

    /// Encodes a byte sequence as a String.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// Decodes `text` into `output` (which must hold `decodedLength(text.count)` bytes) and
    /// returns the number of bytes written, or nil when `text` is not canonical base64url.
    /// On nil, `output` may hold partly decoded bytes: the text is public, and callers discard
    /// the buffer.
    ///
    /// With SSSE3 the vector path (C, for `pshufb`; whole 32-character blocks with AVX2 where
    /// present) decodes all of it, last characters and checks included; elsewhere
    /// ``decodeScalar(_:into:)`` does. All paths are tested against Foundation and against
    /// each other.
    @inline(__always)
    package static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let n = text.count
        guard let length = decodedLength(n), output.count >= length else { return nil }
        guard n > 0, let source = text.baseAddress, let target = output.baseAddress else { return 0 }
        let vector = sst_base64url_decode(
            source.assumingMemoryBound(to: UInt8.self), n, target.assumingMemoryBound(to: UInt8.self))
        if vector >= 0 { return vector }
        if vector == SST_BASE64URL_INVALID { return nil }
        return decodeScalar(text, into: output)
    }

    /// `text` decoded into a new array, or nil when it is not canonical base64url: for the small
    /// values read outside the token's hot path (a JWS's segments, a JWK's members).
    package static func decoded(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard let length = decodedLength(text.count) else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let written = text.withUnsafeBytes { source in out.withUnsafeMutableBytes { decode(source, into: $0) } }
        guard let written else { return nil }
        out.removeLast(out.count - written)
        return out
    }

    /// ``decode(_:into:)`` without the vector path: table-driven, for processors without
    /// SSSE3 (and for tests, which hold the two paths to the same results).
    package static func decodeScalar(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let n = text.count
        guard let length = decodedLength(n), output.count >= length else { return nil }
        guard n > 0, let source = text.baseAddress, let target = output.baseAddress else { return 0 }
        return decodeTable.withUnsafeBufferPointer { table -> Int? in
            @inline(__always) func char(_ k: Int, _ offset: Int) -> UInt32 {
                table[k &* 256 &+ Int(source.load(fromByteOffset: offset, as: UInt8.self))]
            }
            var i = 0
            var o = 0
            var bad: UInt32 = 0
            // Two groups (six bytes) per step, written as one 8-byte store while at least three
            // more characters follow, so the two bytes written past the groups stay inside the
            // output and are overwritten later; the last whole groups are stored byte by byte.
            while i &+ 11 <= n {
                let v0 = char(0, i) | char(1, i &+ 1) | char(2, i &+ 2) | char(3, i &+ 3)
                let v1 = char(0, i &+ 4) | char(1, i &+ 5) | char(2, i &+ 6) | char(3, i &+ 7)
                bad |= v0 | v1
                let six = UInt64(v0) << 40 | UInt64(v1 & 0xFF_FFFF) << 16
                target.storeBytes(of: six.bigEndian, toByteOffset: o, as: UInt64.self)
                i &+= 8
                o &+= 6
            }
            while i &+ 4 <= n {
                let v = char(0, i) | char(1, i + 1) | char(2, i + 2) | char(3, i + 3)
                bad |= v
                target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), toByteOffset: o + 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: o + 2, as: UInt8.self)
                i += 4
                o += 3
            }
            switch n - i {
            case 2:
                let v = char(0, i) | char(1, i + 1)
                bad |= v
                // The low four bits of the second character are unused and must be zero.
                bad |= v & 0xF000 == 0 ? 0 : invalid
                target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
                o += 1
            case 3:
                let v = char(0, i) | char(1, i + 1) | char(2, i + 2)
                bad |= v
                // The low two bits of the third character are unused and must be zero.
                bad |= v & 0xC0 == 0 ? 0 : invalid
                target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), toByteOffset: o + 1, as: UInt8.self)
                o += 2
            default:
                break
            }
            return bad & invalid == 0 ? o : nil
        }
    }
}
