import Crypto
import Foundation
import SessionToken
import SessionTokenInternals

/// The keys one secret yields under a format, derived once when a codec is made so that
/// decoding never runs HKDF (nor AES's key schedule, where libsodium's precomputed state is
/// used). `SymmetricKey` and `SecretBytes` zero their storage when released.
struct DerivedSecret: Sendable {
    /// The 32-byte key for `A256GCM`: v4's only key, v5's second.
    let gcm: AESGCMContent.Key
    /// v5's `kid` for `gcm`: base64url(SHA-256 of its JWK thumbprint input). Nil for v4.
    let gcmKeyID: String?
    /// v5's 64-byte `A256CBC-HS512` key, split. Nil for v4.
    let cbc: AESCBCHMACContent.Key?
    /// v5's `kid` for `cbc`: base64url(SHA-512 of its JWK thumbprint input). Nil for v4.
    let cbcKeyID: String?
    /// The header segment next-auth writes for this secret's tokens, byte for byte: v4's
    /// `{"alg":"dir","enc":"A256GCM"}`, v5's `{"alg":"dir","enc":"A256CBC-HS512","kid":...}`.
    /// A token whose header is exactly this needs no header parse.
    let headerSegment: [UInt8]
    /// v5: `cbc`'s MAC state with `headerSegment` absorbed, the start of every MAC input of a
    /// token under this secret with the header Auth.js writes. Nil for v4.
    let cbcHeaderMAC: SecretBytes?

    init(secret: String, format: NextAuthFormat) {
        let material = SymmetricKey(data: Array(secret.utf8))
        switch format {
        case .v4:
            gcm = AESGCMContent.Key(HKDF<SHA256>.deriveKey(
                inputKeyMaterial: material, salt: [UInt8](), info: Array("NextAuth.js Generated Encryption Key".utf8),
                outputByteCount: 32))
            gcmKeyID = nil
            cbc = nil
            cbcKeyID = nil
            headerSegment = Self.segment(#"{"alg":"dir","enc":"A256GCM"}"#)
            cbcHeaderMAC = nil
        case .v5(let cookieName):
            let salt = Array(cookieName.utf8)
            let info = Array("Auth.js Generated Encryption Key (\(cookieName))".utf8)
            let composite = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: material, salt: salt, info: info, outputByteCount: AESCBCHMACContent.keyBytes)
            let gcmKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: material, salt: salt, info: info, outputByteCount: 32)
            gcm = AESGCMContent.Key(gcmKey)
            gcmKeyID = Self.thumbprint(gcmKey, hash: SHA256.self)
            cbc = AESCBCHMACContent.Key(composite: composite)
            let kid = Self.thumbprint(composite, hash: SHA512.self)
            cbcKeyID = kid
            // jose writes the members in the order Auth.js gives them.
            headerSegment = Self.segment(#"{"alg":"dir","enc":"A256CBC-HS512","kid":"\#(kid)"}"#)
            let header = headerSegment
            cbcHeaderMAC = composite.withUnsafeBytes { bytes in
                header.withUnsafeBytes { HMACSHA512.precompute(key: UnsafeRawBufferPointer(rebasing: bytes[0..<32]), prefix: $0) }
            }
        }
    }

    /// The base64url of a header's JSON text, as the token's first segment.
    static func segment(_ header: String) -> [UInt8] {
        Array(Base64URL.encode(Array(header.utf8)).utf8)
    }

    /// RFC 7638 thumbprint of the key as an `oct` JWK, hashed with `hash`, in base64url: what
    /// jose's `calculateJwkThumbprint` returns and Auth.js writes as `kid`.
    static func thumbprint<H: HashFunction>(_ key: SymmetricKey, hash: H.Type) -> String {
        var input = Array("{\"k\":\"".utf8)
        input.reserveCapacity(key.bitCount / 6 + 32)
        key.withUnsafeBytes { ConstantTime.appendBase64URL($0, to: &input) }
        input.append(contentsOf: "\",\"kty\":\"oct\"}".utf8)
        defer { ConstantTime.wipe(&input) }
        return ConstantTime.base64URL(Array(H.hash(data: input)))
    }
}
