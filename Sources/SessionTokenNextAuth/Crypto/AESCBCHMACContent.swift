import Crypto
import Foundation
import _CryptoExtras

/// JWE content encryption `A256CBC-HS512` (RFC 7518 §5.2.5): AES-256-CBC with PKCS#7 padding,
/// then HMAC-SHA-512 over AAD, IV, ciphertext and the AAD's bit length, truncated to 32 bytes.
/// Encrypt-then-MAC: the tag is checked before any padding is looked at, so no padding oracle.
enum AESCBCHMACContent {
    /// The composite key: MAC key then encryption key.
    static let keyBytes = 64
    static let ivBytes = 16
    static let tagBytes = 32

    /// The two halves of a 64-byte composite key, split once when the key is derived.
    struct Key: Sendable {
        /// The first 32 bytes.
        let mac: SymmetricKey
        /// The last 32 bytes.
        let encryption: SymmetricKey

        /// Nil unless `composite` is exactly 64 bytes.
        init?(composite: SymmetricKey) {
            guard composite.bitCount == AESCBCHMACContent.keyBytes * 8 else { return nil }
            (mac, encryption) = composite.withUnsafeBytes { bytes in
                (SymmetricKey(data: bytes[0..<32]), SymmetricKey(data: bytes[32..<64]))
            }
        }
    }

    /// Authenticates, then decrypts; nil for any failure.
    static func open(
        ciphertext: some DataProtocol, tag: some DataProtocol, iv: some DataProtocol,
        additionalData: some DataProtocol, key: Key
    ) -> Data? {
        guard iv.count == ivBytes, tag.count == tagBytes,
            !ciphertext.isEmpty, ciphertext.count % 16 == 0,
            verifyTruncatedHMAC(
                tag: tag, message: macInput(additionalData: additionalData, iv: iv, ciphertext: ciphertext), key: key.mac)
        else { return nil }
        return decryptCBC(ciphertext, iv: iv, key: key.encryption)
    }

    /// Encrypts under a fresh random IV; returns (iv, ciphertext, tag).
    static func seal(
        _ plaintext: some DataProtocol, additionalData: some DataProtocol, key: Key
    ) throws -> (iv: Data, ciphertext: Data, tag: Data) {
        let iv = AES._CBC.IV()
        let ivData = Data(iv)
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key.encryption, iv: iv)
        let mac = HMAC<SHA512>.authenticationCode(
            for: macInput(additionalData: additionalData, iv: ivData, ciphertext: ciphertext), using: key.mac)
        return (ivData, ciphertext, Data(Data(mac).prefix(tagBytes)))
    }

    /// AES-CBC decryption with PKCS#7 unpadding; nil for a bad IV, key or padding.
    static func decryptCBC(_ ciphertext: some DataProtocol, iv: some DataProtocol, key: SymmetricKey) -> Data? {
        guard let cbcIV = try? AES._CBC.IV(ivBytes: Array(iv)) else { return nil }
        return try? AES._CBC.decrypt(ciphertext, using: key, iv: cbcIV)
    }

    /// True when `tag` equals the first `tag.count` bytes of HMAC-SHA-512(key, message),
    /// compared in constant time. An empty tag or one longer than 64 bytes is never valid.
    static func verifyTruncatedHMAC(tag: some DataProtocol, message: some DataProtocol, key: SymmetricKey) -> Bool {
        guard !tag.isEmpty, tag.count <= SHA512.byteCount else { return false }
        let mac = HMAC<SHA512>.authenticationCode(for: message, using: key)
        return mac.withUnsafeBytes { full in
            ConstantTime.equal(UnsafeRawBufferPointer(rebasing: full[0..<tag.count]), Array(tag))
        }
    }

    /// AAD || IV || ciphertext || AL, AL the AAD length in bits as a 64-bit big-endian integer.
    static func macInput(additionalData: some DataProtocol, iv: some DataProtocol, ciphertext: some DataProtocol) -> Data {
        var input = Data(capacity: additionalData.count + iv.count + ciphertext.count + 8)
        input.append(contentsOf: additionalData)
        input.append(contentsOf: iv)
        input.append(contentsOf: ciphertext)
        withUnsafeBytes(of: (UInt64(additionalData.count) * 8).bigEndian) { input.append(contentsOf: $0) }
        return input
    }
}
