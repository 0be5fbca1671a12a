/// Strict, unpadded base64url (RFC 4648 §5) for the public segments of a token.
///
/// Token segments are public (the header, nonce, ciphertext and tag travel in the clear), so
/// this codec is table-driven and not constant-time; key material goes through libsodium's
/// constant-time codec instead (`Sodium.decodeSecretBase64URL`). It accepts only the
/// canonical encoding: no `=`, `+`, `/` or whitespace, no length of the form 4n+1, and the
/// unused low bits of the last character must be zero, so each byte string has exactly one
/// accepted text.
package enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0xFF marks a byte outside the url-safe alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    /// Length of the encoding of `count` bytes.
    @inline(__always)
    package static func encodedLength(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Length of the bytes that `count` characters decode to, or nil for an impossible length.
    @inline(__always)
    package static func decodedLength(_ count: Int) -> Int? {
        count % 4 == 1 ? nil : count * 3 / 4
    }

    /// Encodes `bytes` into `output`, which must hold `encodedLength(bytes.count)` bytes.
    package static func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        alphabet.withUnsafeBufferPointer { table in
            var i = 0
            var o = 0
            let n = bytes.count
            while i + 3 <= n {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                output[o] = table[Int(v >> 18)]
                output[o + 1] = table[Int(v >> 12 & 63)]
                output[o + 2] = table[Int(v >> 6 & 63)]
                output[o + 3] = table[Int(v & 63)]
                i += 3
                o += 4
            }
            switch n - i {
            case 1:
                let v = UInt32(bytes[i]) << 16
                output[o] = table[Int(v >> 18)]
                output[o + 1] = table[Int(v >> 12 & 63)]
            case 2:
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                output[o] = table[Int(v >> 18)]
                output[o + 1] = table[Int(v >> 12 & 63)]
                output[o + 2] = table[Int(v >> 6 & 63)]
            default:
                break
            }
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
    package static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard let length = decodedLength(text.count), output.count >= length else { return nil }
        return decodeTable.withUnsafeBufferPointer { table -> Int? in
            var i = 0
            var o = 0
            let n = text.count
            var bad: UInt8 = 0
            while i + 4 <= n {
                let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                let c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
                bad |= a | b | c | d
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[o] = UInt8(truncatingIfNeeded: v >> 16)
                output[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                output[o + 2] = UInt8(truncatingIfNeeded: v)
                i += 4
                o += 3
            }
            switch n - i {
            case 2:
                let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                bad |= a | b
                // The low four bits of the second character are unused and must be zero.
                if b & 0x0F != 0 && b != 0xFF { return nil }
                output[o] = UInt8(truncatingIfNeeded: (UInt32(a) << 2) | (UInt32(b) >> 4))
                o += 1
            case 3:
                let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])]
                bad |= a | b | c
                // The low two bits of the third character are unused and must be zero.
                if c & 0x03 != 0 && c != 0xFF { return nil }
                let v = UInt32(a) << 10 | UInt32(b) << 4 | UInt32(c) >> 2
                output[o] = UInt8(truncatingIfNeeded: v >> 8)
                output[o + 1] = UInt8(truncatingIfNeeded: v)
                o += 2
            default:
                break
            }
            // Every valid table entry is below 64, so any 0xFF leaves bit 6 or 7 set.
            return bad & 0xC0 == 0 ? o : nil
        }
    }
}
