import Crypto
import Foundation
import SessionToken
import _CryptoExtras
import SessionTokenInternals

/// JWE content encryption `A256CBC-HS512` (RFC 7518 §5.2.5): AES-256-CBC with PKCS#7 padding,
/// then HMAC-SHA-512 over AAD, IV, ciphertext and the AAD's bit length, truncated to 32 bytes.
/// Encrypt-then-MAC: the tag is checked before any padding is looked at, so no padding oracle.
///
/// The MAC is libsodium's (`crypto_auth_hmacsha512`), fed the four parts where they lie; AES-CBC
/// is swift-crypto's, as libsodium has no CBC mode.
enum AESCBCHMACContent {
    /// The composite key: MAC key then encryption key.
    static let keyBytes = 64
    static let ivBytes = 16
    static let tagBytes = 32

    /// The two halves of a 64-byte composite key, split once when the key is derived.
    struct Key: Sendable {
        /// libsodium's HMAC-SHA-512 state keyed with the first 32 bytes, in wiped storage.
        let mac: SecretBytes
        /// The last 32 bytes.
        let encryption: SymmetricKey

        /// Nil unless `composite` is exactly 64 bytes.
        init?(composite: SymmetricKey) {
            guard composite.bitCount == AESCBCHMACContent.keyBytes * 8 else { return nil }
            (mac, encryption) = composite.withUnsafeBytes { bytes in
                (HMACSHA512.precompute(key: UnsafeRawBufferPointer(rebasing: bytes[0..<32])),
                 SymmetricKey(data: bytes[32..<64]))
            }
        }
    }

    /// Authenticates, then decrypts into `plaintext` (at least as long as the ciphertext);
    /// returns the plaintext's length, or nil for any failure.
    ///
    /// - Parameter absorbed: The key's MAC state with `additionalData` already absorbed (see
    ///   `DerivedSecret.cbcHeaderMAC`), when the caller knows the AAD is that one.
    static func open(
        ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        additionalData: UnsafeRawBufferPointer, key: Key, absorbed: SecretBytes? = nil,
        into plaintext: UnsafeMutableRawBufferPointer
    ) -> Int? {
        guard iv.count == ivBytes, tag.count == tagBytes, plaintext.count >= ciphertext.count,
            !ciphertext.isEmpty, ciphertext.count % 16 == 0
        else { return nil }
        let verified = withLengthBlock(additionalData) { length in
            if let absorbed {
                verifyTruncatedHMAC(tag: tag, mac: absorbed, parts: (UnsafeRawBufferPointer(start: nil, count: 0), iv, ciphertext, length))
            } else {
                verifyTruncatedHMAC(tag: tag, mac: key.mac, parts: (additionalData, iv, ciphertext, length))
            }
        }
        guard verified else { return nil }
        return decryptCBC(ciphertext, iv: iv, key: key.encryption, into: plaintext)
    }

    /// Pads the `length` bytes of plaintext at the start of `scratch` (PKCS#7, in place: the
    /// scratch has room for a block more), encrypts them under `iv` (16 bytes, fresh from the
    /// CSPRNG) and writes the MAC's 64 bytes into `tag` (its first 32 are the JWE tag). Returns
    /// the ciphertext, or nil when the cipher refuses.
    ///
    /// - Parameters:
    ///   - additionalData: The token's header segment, which `absorbed` has already hashed;
    ///     only its length (the MAC's last part) is read here.
    ///   - absorbed: The key's MAC state with that header absorbed (`DerivedSecret.cbcHeaderMAC`):
    ///     an encoding always writes that header.
    ///
    /// swift-crypto's CBC copies its input into a buffer of its own (`Data(plaintext)`) that it
    /// frees without zeroing, and libsodium has no CBC: the one copy of v5's claims this
    /// library cannot wipe. The padded plaintext here is wiped by the caller.
    static func seal(
        plaintext length: Int, in scratch: UnsafeMutableRawBufferPointer, iv: UnsafeRawBufferPointer, key: Key,
        additionalData: UnsafeRawBufferPointer, absorbed: SecretBytes, tag: UnsafeMutableRawBufferPointer
    ) -> Data? {
        let padding = 16 - length % 16
        guard iv.count == ivBytes, tag.count >= HMACSHA512.outputBytes, scratch.count >= length + padding,
            let cbcIV = try? AES._CBC.IV(ivBytes: iv)
        else { return nil }
        UnsafeMutableRawBufferPointer(rebasing: scratch[length..<(length + padding)])
            .initializeMemory(as: UInt8.self, repeating: UInt8(padding))
        let padded = UnsafeRawBufferPointer(rebasing: scratch[0..<(length + padding)])
        guard let ciphertext = try? AES._CBC.encrypt(padded, using: key.encryption, iv: cbcIV, noPadding: true) else {
            return nil
        }
        ciphertext.withUnsafeBytes { ct in
            withLengthBlock(additionalData) { length in
                HMACSHA512.authenticate(
                    state: absorbed, parts: (UnsafeRawBufferPointer(start: nil, count: 0), iv, ct, length), into: tag)
            }
        }
        return ciphertext
    }

    /// The length of `decrypted` without its PKCS#7 padding (1 to 16 bytes, each holding the
    /// count), or nil when the padding is malformed. Only ever applied after the tag verified, so
    /// the time it takes tells an attacker nothing (encrypt-then-MAC: no padding oracle). The
    /// Wycheproof AES-CBC-PKCS5 vectors (144 bad paddings) run through it.
    static func unpaddedLength(_ decrypted: UnsafeRawBufferPointer) -> Int? {
        guard let last = decrypted.last, (1...16).contains(last), Int(last) <= decrypted.count else { return nil }
        let padding = decrypted[(decrypted.count - Int(last))...]
        return padding.allSatisfy { $0 == last } ? decrypted.count - Int(last) : nil
    }

    /// AES-CBC decryption (swift-crypto's, without its unpadding) into `plaintext`, then PKCS#7
    /// unpadding; the plaintext's length, or nil for a bad IV, key, length or padding.
    static func decryptCBC(
        _ ciphertext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, key: SymmetricKey,
        into plaintext: UnsafeMutableRawBufferPointer
    ) -> Int? {
        guard plaintext.count >= ciphertext.count, let cbcIV = try? AES._CBC.IV(ivBytes: iv),
            var decrypted = try? AES._CBC.decrypt(ciphertext, using: key, iv: cbcIV, noPadding: true),
            decrypted.count == ciphertext.count
        else { return nil }
        // `decrypted` is the only reference to the cipher's output, so the wipe reaches it.
        defer { decrypted.withUnsafeMutableBytes { SecretMemory.wipe($0) } }
        decrypted.withUnsafeBytes { plaintext.copyMemory(from: $0) }
        return unpaddedLength(UnsafeRawBufferPointer(rebasing: plaintext[0..<decrypted.count]))
    }

    /// True when `tag` equals the first `tag.count` bytes of HMAC-SHA-512(key, parts joined),
    /// `mac` the key's precomputed state, compared in constant time (`sodium_memcmp`). An empty
    /// tag or one longer than 64 bytes is never valid.
    static func verifyTruncatedHMAC(
        tag: UnsafeRawBufferPointer, mac: SecretBytes,
        parts: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer)
    ) -> Bool {
        guard !tag.isEmpty, tag.count <= HMACSHA512.outputBytes else { return false }
        return withUnsafeTemporaryAllocation(byteCount: HMACSHA512.outputBytes, alignment: 16) { output in
            HMACSHA512.authenticate(state: mac, parts: parts, into: output)
            defer { SecretMemory.wipe(output) }
            return SecretMemory.equal(UnsafeRawBufferPointer(rebasing: output[0..<tag.count]), tag)
        }
    }

    /// AL: the AAD's length in bits as a 64-bit big-endian integer, the MAC input's last part.
    @inline(__always)
    static func withLengthBlock<R>(_ additionalData: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: (UInt64(additionalData.count) * 8).bigEndian) { body($0) }
    }
}
