internal import CSodium

/// HMAC-SHA-256 from libsodium (`crypto_auth_hmacsha256_*`), streaming over several parts so
/// that HKDF can hash `T(i-1) || info || i` without concatenating.
package enum HMACSHA256 {
    package static let outputBytes = 32

    /// Writes HMAC-SHA-256(key, parts joined) into `output` (32 bytes). The state, which holds
    /// key-derived pads, is zeroed before returning.
    package static func authenticate(
        key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer], into output: UnsafeMutableRawBufferPointer
    ) {
        _ = Sodium.isReady
        var state = crypto_auth_hmacsha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        crypto_auth_hmacsha256_init(&state, key.sodiumPointer, key.count)
        for part in parts {
            crypto_auth_hmacsha256_update(&state, part.sodiumPointer, UInt64(part.count))
        }
        crypto_auth_hmacsha256_final(&state, output.sodiumPointer)
    }
}
