package import SessionTokenInternals

/// A 32-byte secret key with an ID, bound to one content encryption (``encryption``).
///
/// The bytes live in storage that is zeroed (`sodium_memzero`) when the last copy of the key
/// is released; equality compares them in constant time (`sodium_memcmp`); the description
/// shows the ID only. The only way to see the bytes is ``exportBase64URL()``, which exists
/// for writing key ring specs.
public struct SessionKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Length of every key in bytes.
    public static let byteCount = 32

    /// The key ID written into the `kid` header member of every token this key seals.
    public let id: String

    /// The content encryption this key seals with and the only one it opens: its tokens
    /// carry it as the JWE `enc` header member.
    public let encryption: TokenEncryption

    package let secret: SecretBytes
    /// For an ``TokenEncryption/aes256GCM`` key: libsodium's precomputed AES-256-GCM state
    /// (key schedule and GHASH powers), in zeroed, 16-byte aligned secret storage.
    let aesGCMState: SecretBytes?

    /// The one place a key is assembled: an A256GCM key gets its precomputed state here, or a
    /// configuration error on a CPU without AES instructions.
    private init(id: String, secret: SecretBytes, encryption: TokenEncryption) throws(SessionTokenError) {
        self.id = id
        self.secret = secret
        self.encryption = encryption
        switch encryption {
        case .xchacha20Poly1305:
            self.aesGCMState = nil
        case .aes256GCM:
            guard let state = secret.withUnsafeBytes({ AES256GCM.precompute(key: $0) }) else {
                throw SessionTokenError.configuration(Self.gcmUnavailableMessage)
            }
            self.aesGCMState = state
        }
    }

    /// Why an A256GCM key cannot be made here (quotes no ID or key text).
    static let gcmUnavailableMessage =
        "A256GCM keys need AES-256-GCM hardware support (AES-NI and CLMUL), which this CPU lacks; use XC20P keys"

    /// Refuses an encryption this process cannot use, before any key bytes are touched.
    private static func checkAvailable(_ encryption: TokenEncryption) throws(SessionTokenError) {
        guard encryption.isAvailable else { throw SessionTokenError.configuration(gcmUnavailableMessage) }
    }

    /// Generates a key from libsodium's CSPRNG.
    ///
    /// - Parameters:
    ///   - id: The key ID; when nil, an ID is derived from the key with a keyed one-way hash
    ///     (see ``derivedID``), so it reveals nothing about the key.
    ///   - encryption: The content encryption the key is bound to; XChaCha20-Poly1305 by default.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for an ID outside `[A-Za-z0-9._-]{1,64}`,
    ///   or ``TokenEncryption/aes256GCM`` on a CPU without AES instructions.
    public static func generate(
        id: String? = nil, encryption: TokenEncryption = .xchacha20Poly1305
    ) throws(SessionTokenError) -> SessionKey {
        try checkAvailable(encryption)
        let secret = SecretBytes(count: byteCount) { Sodium.randomBytes($0) }
        return try SessionKey(validatingID: id ?? derivedID(of: secret), secret: secret, encryption: encryption)
    }

    /// Creates a key from its unpadded base64url text (43 characters for 32 bytes), decoded
    /// with libsodium's constant-time decoder.
    ///
    /// - Parameters:
    ///   - id: The key ID.
    ///   - text: The key bytes as unpadded base64url.
    ///   - encryption: The content encryption the key is bound to; XChaCha20-Poly1305 by default.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a bad ID, text that is not canonical
    ///   unpadded base64url, a length other than 32 bytes, or ``TokenEncryption/aes256GCM`` on a
    ///   CPU without AES instructions. The message never echoes the text.
    public init(
        id: String, base64URL text: String, encryption: TokenEncryption = .xchacha20Poly1305
    ) throws(SessionTokenError) {
        try Self.checkID(id)
        try Self.checkAvailable(encryption)
        // Decode into scratch room for one more byte than a key, so a long text is seen as such.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.byteCount + 3, alignment: 16)
        defer { Sodium.zero(scratch); scratch.deallocate() }
        guard let length = Sodium.decodeSecretBase64URL(text, into: scratch), length == Self.byteCount else {
            throw SessionTokenError.configuration(
                "key \(id.debugDescription) is not \(Self.byteCount) bytes of unpadded base64url")
            // The ID is quoted: callers that cannot vouch for it (spec parsing) replace this message.
        }
        let secret = SecretBytes(count: Self.byteCount) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[0..<Self.byteCount]))
        }
        try self.init(id: id, secret: secret, encryption: encryption)
    }

    /// Creates a key from 32 raw bytes. The caller should zero its own copy afterwards.
    ///
    /// - Parameters:
    ///   - id: The key ID.
    ///   - bytes: The 32 key bytes.
    ///   - encryption: The content encryption the key is bound to; XChaCha20-Poly1305 by default.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a bad ID, a length other than 32, or
    ///   ``TokenEncryption/aes256GCM`` on a CPU without AES instructions.
    public init(
        id: String, bytes: some Collection<UInt8>, encryption: TokenEncryption = .xchacha20Poly1305
    ) throws(SessionTokenError) {
        try Self.checkID(id)
        try Self.checkAvailable(encryption)
        guard bytes.count == Self.byteCount else {
            throw SessionTokenError.configuration("key \(id.debugDescription) must be \(Self.byteCount) bytes")
        }
        let secret = SecretBytes(count: Self.byteCount) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
        try self.init(validatingID: id, secret: secret, encryption: encryption)
    }

    init(checkedID id: String, secret: SecretBytes, encryption: TokenEncryption) throws(SessionTokenError) {
        try Self.checkAvailable(encryption)
        try self.init(validatingID: id, secret: secret, encryption: encryption)
    }

    private init(validatingID id: String, secret: SecretBytes, encryption: TokenEncryption) throws(SessionTokenError) {
        try Self.checkID(id)
        try self.init(id: id, secret: secret, encryption: encryption)
    }

    /// A key with every field given, sharing storage with an existing key (``withID(_:)``).
    private init(id: String, sharing other: SessionKey) {
        self.id = id
        self.secret = other.secret
        self.encryption = other.encryption
        self.aesGCMState = other.aesGCMState
    }

    /// IDs are checked before anything else, so that no message quotes text that could be key bytes.
    private static func checkID(_ id: String) throws(SessionTokenError) {
        guard KeyID.isValid(id) else {
            throw SessionTokenError.configuration(
                "key ID must be 1 to \(KeyID.maxLength) characters of A-Z a-z 0-9 . _ -")
        }
    }

    /// A copy of this key under another ID, bound to the same encryption.
    public func withID(_ newID: String) throws(SessionTokenError) -> SessionKey {
        try Self.checkID(newID)
        return SessionKey(id: newID, sharing: self)
    }

    /// The ID that ``generate(id:encryption:)`` gives a key when none is chosen: 12 base64url characters
    /// of BLAKE2b keyed with the key itself over a fixed label. Without the key, the ID
    /// cannot be linked to it or used to guess it.
    public var derivedID: String { Self.derivedID(of: secret) }

    static func derivedID(of secret: SecretBytes) -> String {
        let label = Array("swift-session-token key id v1".utf8)
        var digest = [UInt8](repeating: 0, count: 16)
        secret.withUnsafeBytes { key in
            label.withUnsafeBytes { message in
                digest.withUnsafeMutableBytes { Sodium.keyedHash(key: key, message: message, into: $0) }
            }
        }
        return Base64URL.encode(digest.prefix(9))
    }

    /// The key bytes as unpadded base64url, for writing a key ring spec. Treat the result as
    /// the secret it is.
    public func exportBase64URL() -> String {
        secret.withUnsafeBytes { Sodium.encodeSecretBase64URL($0) }
    }

    /// Two keys are equal when their IDs, encryptions and bytes are; the bytes are compared in
    /// constant time.
    public static func == (lhs: SessionKey, rhs: SessionKey) -> Bool {
        let sameBytes = lhs.secret.constantTimeEquals(rhs.secret)
        return sameBytes && lhs.id == rhs.id && lhs.encryption == rhs.encryption
    }

    /// True when both keys hold the same bytes, whatever their IDs (constant time).
    public func hasSameBytes(as other: SessionKey) -> Bool {
        secret.constantTimeEquals(other.secret)
    }

    /// `SessionKey(id: "…")` (with `, A256GCM` for such a key): never the bytes.
    public var description: String {
        encryption == .xchacha20Poly1305
            ? "SessionKey(id: \(id.debugDescription))"
            : "SessionKey(id: \(id.debugDescription), \(encryption.name))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// Reflection (`dump`, debuggers) shows the ID and the encryption only.
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "encryption": encryption], displayStyle: .struct)
    }
}
