import Crypto
import Foundation

/// JWE content encryption with AES-GCM (RFC 7518 §5.3): `A256GCM` in next-auth's tokens, and
/// the same code path for `A128GCM` (RFC 7520 §5.6), which differs only in the key size.
enum AESGCMContent {
    /// The IV size JWE uses with GCM.
    static let ivBytes = 12
    /// The tag size JWE uses with GCM.
    static let tagBytes = 16

    /// Authenticates and decrypts; nil for any failure (wrong sizes, wrong key, forged input).
    static func open(
        ciphertext: some DataProtocol, tag: some DataProtocol, iv: some DataProtocol,
        additionalData: some DataProtocol, key: SymmetricKey
    ) -> Data? {
        guard iv.count == ivBytes, tag.count == tagBytes,
            key.bitCount == 128 || key.bitCount == 256,
            let nonce = try? AES.GCM.Nonce(data: iv),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
        else { return nil }
        // swift-crypto (BoringSSL) compares the tag in constant time.
        return try? AES.GCM.open(box, using: key, authenticating: additionalData)
    }

    /// Encrypts under a fresh random 96-bit IV; returns (iv, ciphertext, tag).
    static func seal(
        _ plaintext: some DataProtocol, additionalData: some DataProtocol, key: SymmetricKey
    ) throws -> (iv: Data, ciphertext: Data, tag: Data) {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: additionalData)
        return (Data(box.nonce), box.ciphertext, box.tag)
    }
}
