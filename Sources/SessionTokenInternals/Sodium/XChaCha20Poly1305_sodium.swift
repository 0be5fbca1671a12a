internal import CSodium

/// XChaCha20-Poly1305 (IETF construction) from libsodium, in its detached form: the JWE
/// compact serialization carries the tag in its own segment.
package enum XChaCha20Poly1305 {
    package static let keyBytes = 32
    package static let nonceBytes = 24
    static let tagBytes = 16

    /// Encrypts `plaintext` into `ciphertext` (same length) and writes the 16-byte tag.
    @inline(__always)
    package static func seal(
        plaintext: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) {
        var tagLength: UInt64 = 0
        _ = crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
            ciphertext.sodiumPointer,
            tag.sodiumPointer, &tagLength,
            plaintext.sodiumPointer, UInt64(plaintext.count),
            additionalData.sodiumPointer, UInt64(additionalData.count),
            nil,
            nonce.sodiumPointer,
            key.sodiumPointer)
    }

    /// Verifies the tag (in constant time, inside libsodium) and only then decrypts into
    /// `plaintext`. Returns false, with `plaintext` untouched by any unauthenticated byte
    /// that the caller may read, when authentication fails.
    @inline(__always)
    package static func open(
        ciphertext: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        plaintext: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard nonce.count == nonceBytes, tag.count == tagBytes, key.count == keyBytes,
            plaintext.count >= ciphertext.count
        else { return false }
        return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
            plaintext.sodiumPointer,
            nil,
            ciphertext.sodiumPointer, UInt64(ciphertext.count),
            tag.sodiumPointer,
            additionalData.sodiumPointer, UInt64(additionalData.count),
            nonce.sodiumPointer,
            key.sodiumPointer) == 0
    }
}
