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

    /// Encrypts under a fresh random 96-bit IV; returns (iv, ciphertext, tag).
    static func seal(
        _ plaintext: some DataProtocol, additionalData: some DataProtocol, key: Key
    ) throws -> (iv: Data, ciphertext: Data, tag: Data) {
        let box = try AES.GCM.seal(
            plaintext, using: key.symmetric, nonce: AES.GCM.Nonce(), authenticating: additionalData)
        return (Data(box.nonce), box.ciphertext, box.tag)
    }
}
