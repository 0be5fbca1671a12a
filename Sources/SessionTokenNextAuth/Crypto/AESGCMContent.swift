import Crypto
import Foundation
import SessionToken
import SessionTokenInternals

/// JWE content encryption with AES-GCM (RFC 7518 §5.3): `A256GCM` in next-auth's tokens, and
/// the same code path for `A128GCM` (RFC 7520 §5.6), which differs only in the key size.
///
/// Decryption runs on libsodium's precomputed AES-256-GCM state where the CPU has AES-NI and
/// CLMUL (the key schedule and GHASH powers computed once, when the codec is made), and on
/// swift-crypto elsewhere and for 128-bit keys.
enum AESGCMContent {
    /// The IV size JWE uses with GCM.
    static let ivBytes = 12
    /// The tag size JWE uses with GCM.
    static let tagBytes = 16

    /// A key, with libsodium's precomputed state when this machine can use it.
    struct Key: Sendable {
        /// The key for swift-crypto (encoding, and decoding without AES-NI).
        let symmetric: SymmetricKey
        /// libsodium's `crypto_aead_aes256gcm_state` for a 256-bit key, in wiped storage; nil
        /// without AES-NI, for a 128-bit key, or when `precompute` was false.
        let state: SecretBytes?

        /// - Parameter precompute: False keeps decryption on swift-crypto (for the tests that
        ///   run both paths on the same vectors).
        init(_ key: SymmetricKey, precompute: Bool = true) {
            symmetric = key
            state = precompute ? key.withUnsafeBytes { AES256GCM.precompute(key: $0) } : nil
        }
    }

    /// Authenticates and decrypts `ciphertext` into `plaintext` (at least as long, not
    /// overlapping it); false for any failure (wrong sizes, wrong key, forged input). The tag
    /// is compared in constant time by either library.
    static func open(
        ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer, key: Key, into plaintext: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard iv.count == ivBytes, tag.count == tagBytes, plaintext.count >= ciphertext.count,
            key.symmetric.bitCount == 128 || key.symmetric.bitCount == 256
        else { return false }
        if let state = key.state {
            return AES256GCM.open(
                ciphertext: ciphertext, tag: tag, additionalData: additionalData, nonce: iv,
                state: UnsafeRawBufferPointer(start: state.address, count: state.count), plaintext: plaintext)
        }
        guard let nonce = try? AES.GCM.Nonce(data: iv),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag),
            var opened = try? AES.GCM.open(box, using: key.symmetric, authenticating: additionalData)
        else { return false }
        // `opened` is the only reference to the cipher's output, so the wipe reaches it.
        defer { opened.withUnsafeMutableBytes { SecretMemory.wipe($0) } }
        opened.withUnsafeBytes { plaintext.copyMemory(from: $0) }
        return true
    }

    /// Encrypts `text` in place under `iv` (12 bytes, fresh from the CSPRNG) and writes the
    /// 16-byte tag: on libsodium's precomputed state where there is one, else swift-crypto's
    /// (whose output is copied back over `text`). False when the cipher refuses.
    static func seal(
        _ text: UnsafeMutableRawBufferPointer, additionalData: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        key: Key, tag: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard iv.count == ivBytes, tag.count >= tagBytes else { return false }
        if let state = key.state {
            AES256GCM.seal(
                plaintext: UnsafeRawBufferPointer(text), additionalData: additionalData, nonce: iv,
                state: UnsafeRawBufferPointer(start: state.address, count: state.count), ciphertext: text, tag: tag)
            return true
        }
        guard let nonce = try? AES.GCM.Nonce(data: iv),
            let box = try? AES.GCM.seal(UnsafeRawBufferPointer(text), using: key.symmetric, nonce: nonce, authenticating: additionalData),
            box.ciphertext.count == text.count
        else { return false }
        box.ciphertext.withUnsafeBytes { text.copyMemory(from: $0) }
        box.tag.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: tag[0..<tagBytes]).copyMemory(from: $0) }
        return true
    }
}
