internal import CSodium

/// HMAC-SHA-512 from libsodium (`crypto_auth_hmacsha512_*`), streaming over several parts so
/// that `A256CBC-HS512` (next-auth v5) can authenticate AAD, IV, ciphertext and the AAD's bit
/// length where they lie, without concatenating them.
package enum HMACSHA512 {
    package static let outputBytes = 64

    /// Writes HMAC-SHA-512(key, parts joined) into `output` (64 bytes). The state, which holds
    /// key-derived pads, is zeroed before returning.
    package static func authenticate(
        key: UnsafeRawBufferPointer, parts: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer,
            UnsafeRawBufferPointer),
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count >= outputBytes)
        _ = Sodium.isReady
        var state = crypto_auth_hmacsha512_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        crypto_auth_hmacsha512_init(&state, key.sodiumPointer, key.count)
        crypto_auth_hmacsha512_update(&state, parts.0.sodiumPointer, UInt64(parts.0.count))
        crypto_auth_hmacsha512_update(&state, parts.1.sodiumPointer, UInt64(parts.1.count))
        crypto_auth_hmacsha512_update(&state, parts.2.sodiumPointer, UInt64(parts.2.count))
        crypto_auth_hmacsha512_update(&state, parts.3.sodiumPointer, UInt64(parts.3.count))
        crypto_auth_hmacsha512_final(&state, output.sodiumPointer)
    }
}
