import SessionTokenInternals

/// HKDF with HMAC-SHA-256 (RFC 5869), built on libsodium's HMAC because libsodium 1.0.18 has
/// no HKDF. Only the construction lives here; the hash is libsodium's.
enum HKDF {
    /// RFC 5869 §2.3: at most 255 blocks of output.
    static let maxOutputBytes = 255 * HMACSHA256.outputBytes

    /// Extract-then-expand: `length` bytes of output keying material, or nil when `length` is
    /// out of range. The pseudorandom key and every intermediate block are zeroed.
    static func deriveKey(
        inputKeyMaterial ikm: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, info: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard output.count > 0, output.count <= maxOutputBytes else { return false }
        var prk = [UInt8](repeating: 0, count: HMACSHA256.outputBytes)
        var block = [UInt8](repeating: 0, count: HMACSHA256.outputBytes)
        defer {
            prk.withUnsafeMutableBytes { Sodium.zero($0) }
            block.withUnsafeMutableBytes { Sodium.zero($0) }
        }
        // Extract: PRK = HMAC(salt, IKM). An absent salt is HashLen zero bytes (RFC 5869 §2.2),
        // which HMAC treats exactly like an empty key.
        prk.withUnsafeMutableBytes { HMACSHA256.authenticate(key: salt, parts: [ikm], into: $0) }
        // Expand: T(i) = HMAC(PRK, T(i-1) || info || i), output = T(1) || T(2) || ...
        var written = 0
        var counter: UInt8 = 1
        while written < output.count {
            let previousLength = counter == 1 ? 0 : HMACSHA256.outputBytes
            prk.withUnsafeBytes { key in
                block.withUnsafeMutableBytes { blockBytes in
                    withUnsafeBytes(of: counter) { counterByte in
                        let previous = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(blockBytes)[0..<previousLength])
                        HMACSHA256.authenticate(key: key, parts: [previous, info, counterByte], into: blockBytes)
                    }
                }
            }
            let take = min(HMACSHA256.outputBytes, output.count - written)
            block.withUnsafeBytes { blockBytes in
                UnsafeMutableRawBufferPointer(rebasing: output[written..<(written + take)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: blockBytes[0..<take]))
            }
            written += take
            counter &+= 1
        }
        return true
    }
}
