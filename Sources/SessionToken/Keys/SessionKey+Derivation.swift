import SessionTokenInternals

extension SessionKey {
    /// Shortest secret accepted for derivation, in bytes.
    public static let minimumSecretBytes = 32

    /// Derives a key for one purpose from a high-entropy secret, so that one secret (such as
    /// `NEXTAUTH_SECRET`) yields independent keys for sessions, CSRF and so on.
    ///
    /// The key is HKDF-SHA-256 (RFC 5869) with the secret as input keying material, an empty
    /// salt, and the info `swift-session-token/v1/<purpose>`; 32 bytes. Different purposes give
    /// unrelated keys; the same secret and purpose always give the same key.
    ///
    /// - Parameters:
    ///   - secret: At least 32 bytes of high-entropy secret (a password is not one).
    ///   - purpose: What the key is for, 1 to 128 bytes of UTF-8, such as `"sessions"`.
    ///   - id: The key ID; when nil, ``derivedID`` (a keyed hash that reveals nothing).
    ///   - encryption: The content encryption the key is bound to; XChaCha20-Poly1305 by default.
    ///     It does not enter the derivation: one secret and purpose give the same bytes for both,
    ///     so derive keys for different encryptions under different purposes.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a short secret, a bad purpose or ID,
    ///   or ``TokenEncryption/aes256GCM`` on a CPU without AES instructions.
    public static func derive(
        fromSecret secret: some Collection<UInt8>, purpose: String, id: String? = nil,
        encryption: TokenEncryption = .xchacha20Poly1305
    ) throws(SessionTokenError) -> SessionKey {
        guard secret.count >= minimumSecretBytes else {
            throw .configuration(
                "the secret must be at least \(minimumSecretBytes) bytes of high-entropy material; it has \(secret.count)")
        }
        guard (1...128).contains(purpose.utf8.count) else {
            throw .configuration("the purpose must be 1 to 128 bytes")
        }
        var ikm = Array(secret)
        defer { ikm.withUnsafeMutableBytes { Sodium.zero($0) } }
        let info = Array("swift-session-token/v1/\(purpose)".utf8)
        let bytes = SecretBytes(count: byteCount) { output in
            ikm.withUnsafeBytes { ikmBytes in
                info.withUnsafeBytes { infoBytes in
                    _ = HKDF.deriveKey(
                        inputKeyMaterial: ikmBytes, salt: UnsafeRawBufferPointer(start: nil, count: 0),
                        info: infoBytes, into: output)
                }
            }
        }
        return try SessionKey(checkedID: id ?? derivedID(of: bytes), secret: bytes, encryption: encryption)
    }

    /// As ``derive(fromSecret:purpose:id:encryption:)`` with the UTF-8 bytes of `secret`.
    public static func derive(
        fromSecret secret: String, purpose: String, id: String? = nil,
        encryption: TokenEncryption = .xchacha20Poly1305
    ) throws(SessionTokenError) -> SessionKey {
        try derive(fromSecret: Array(secret.utf8), purpose: purpose, id: id, encryption: encryption)
    }
}

extension SessionKey {
    /// The key that seals and opens this key's tokens of `purpose` (see ``TokenPurpose``): the
    /// same ID and encryption, bytes from HKDF-SHA-256 over this key's bytes. Made once per
    /// sealer, never per token.
    package func derived(for purpose: TokenPurpose) throws(SessionTokenError) -> SessionKey {
        let info = purpose.derivationInfo
        let bytes = SecretBytes(count: Self.byteCount) { output in
            secret.withUnsafeBytes { ikm in
                info.withUnsafeBytes { infoBytes in
                    _ = HKDF.deriveKey(
                        inputKeyMaterial: ikm, salt: UnsafeRawBufferPointer(start: nil, count: 0), info: infoBytes,
                        into: output)
                }
            }
        }
        // The ID and the encryption were checked when this key was made, and an A256GCM key
        // exists only where the CPU runs it: this throws only where this key could not exist.
        return try SessionKey(checkedID: id, secret: bytes, encryption: encryption)
    }
}
