internal import CSodium

/// AES-256-GCM from libsodium, in its detached form and with the precomputed-state API
/// (`crypto_aead_aes256gcm_beforenm` once per key, then `*_detached_afternm` per token), so
/// that the key schedule and the GHASH powers are computed once per key rather than per token.
///
/// libsodium offers it only where the CPU has AES-NI and CLMUL (x86-64) or the ARM crypto
/// extensions; ``isAvailable`` says whether this process may use it. Native A256GCM keys and
/// next-auth's v4 tokens both go through it.
package enum AES256GCM {
    package static let keyBytes = 32
    package static let nonceBytes = 12
    package static let tagBytes = 16
    /// Size of `crypto_aead_aes256gcm_state` (512 bytes).
    package static let stateBytes = crypto_aead_aes256gcm_statebytes()

    /// `crypto_aead_aes256gcm_is_available()`, after `sodium_init()` (which detects the CPU).
    package static let isAvailable: Bool = Sodium.isReady && crypto_aead_aes256gcm_is_available() == 1

    /// The precomputed state for `key`, in zeroed secret storage (16-byte aligned, as
    /// `crypto_aead_aes256gcm_state` requires; wiped with `sodium_memzero` on release). Nil
    /// when the CPU lacks the instructions or the key is not 32 bytes.
    package static func precompute(key: UnsafeRawBufferPointer) -> SecretBytes? {
        guard isAvailable, key.count == keyBytes else { return nil }
        struct Failed: Error {}
        return try? SecretBytes(count: stateBytes) { storage throws(Failed) in
            guard let base = storage.baseAddress, Int(bitPattern: base) % 16 == 0 else { throw Failed() }
            let state = base.bindMemory(to: crypto_aead_aes256gcm_state.self, capacity: 1)
            guard crypto_aead_aes256gcm_beforenm(state, key.sodiumPointer) == 0 else { throw Failed() }
        }
    }

    @inline(__always)
    private static func statePointer(_ state: UnsafeRawBufferPointer) -> UnsafePointer<crypto_aead_aes256gcm_state> {
        UnsafePointer(state.baseAddress!.assumingMemoryBound(to: crypto_aead_aes256gcm_state.self))
    }

    /// Encrypts `plaintext` into `ciphertext` (same length; in place is allowed) and writes the
    /// 16-byte tag. `state` is the storage ``precompute(key:)`` returned; `nonce` is 12 bytes.
    @inline(__always)
    package static func seal(
        plaintext: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        state: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) {
        precondition(nonce.count == nonceBytes && tag.count >= tagBytes && ciphertext.count >= plaintext.count
            && state.count == stateBytes)
        var tagLength: UInt64 = 0
        _ = crypto_aead_aes256gcm_encrypt_detached_afternm(
            ciphertext.sodiumPointer,
            tag.sodiumPointer, &tagLength,
            plaintext.sodiumPointer, UInt64(plaintext.count),
            additionalData.sodiumPointer, UInt64(additionalData.count),
            nil,
            nonce.sodiumPointer,
            statePointer(state))
    }

    /// Verifies the tag (in constant time, inside libsodium) and only then decrypts into
    /// `plaintext`. Returns false when authentication fails; libsodium then zeroes `plaintext`.
    @inline(__always)
    package static func open(
        ciphertext: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        state: UnsafeRawBufferPointer,
        plaintext: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard nonce.count == nonceBytes, tag.count == tagBytes, plaintext.count >= ciphertext.count,
            state.count == stateBytes
        else { return false }
        return crypto_aead_aes256gcm_decrypt_detached_afternm(
            plaintext.sodiumPointer,
            nil,
            ciphertext.sodiumPointer, UInt64(ciphertext.count),
            tag.sodiumPointer,
            additionalData.sodiumPointer, UInt64(additionalData.count),
            nonce.sodiumPointer,
            statePointer(state)) == 0
    }
}
