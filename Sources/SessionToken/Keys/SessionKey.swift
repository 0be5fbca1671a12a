/// A 32-byte secret key with an ID.
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

    package let secret: SecretBytes

    private init(id: String, secret: SecretBytes) {
        self.id = id
        self.secret = secret
    }

    /// Generates a key from libsodium's CSPRNG.
    ///
    /// - Parameter id: The key ID; when nil, an ID is derived from the key with a keyed
    ///   one-way hash (see ``derivedID``), so it reveals nothing about the key.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for an ID outside `[A-Za-z0-9._-]{1,64}`.
    public static func generate(id: String? = nil) throws(SessionTokenError) -> SessionKey {
        let secret = SecretBytes(count: byteCount) { Sodium.randomBytes($0) }
        return try SessionKey(validatingID: id ?? derivedID(of: secret), secret: secret)
    }

    /// Creates a key from its unpadded base64url text (43 characters for 32 bytes), decoded
    /// with libsodium's constant-time decoder.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a bad ID, text that is not canonical
    ///   unpadded base64url, or a length other than 32 bytes. The message never echoes the text.
    public init(id: String, base64URL text: String) throws(SessionTokenError) {
        try Self.checkID(id)
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
        self.init(id: id, secret: secret)
    }

    /// Creates a key from 32 raw bytes. The caller should zero its own copy afterwards.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a bad ID or a length other than 32.
    public init(id: String, bytes: some Collection<UInt8>) throws(SessionTokenError) {
        try Self.checkID(id)
        guard bytes.count == Self.byteCount else {
            throw SessionTokenError.configuration("key \(id.debugDescription) must be \(Self.byteCount) bytes")
        }
        let secret = SecretBytes(count: Self.byteCount) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
        try self.init(validatingID: id, secret: secret)
    }

    init(checkedID id: String, secret: SecretBytes) throws(SessionTokenError) {
        try self.init(validatingID: id, secret: secret)
    }

    private init(validatingID id: String, secret: SecretBytes) throws(SessionTokenError) {
        try Self.checkID(id)
        self.init(id: id, secret: secret)
    }

    /// IDs are checked before anything else, so that no message quotes text that could be key bytes.
    private static func checkID(_ id: String) throws(SessionTokenError) {
        guard KeyID.isValid(id) else {
            throw SessionTokenError.configuration(
                "key ID must be 1 to \(KeyID.maxLength) characters of A-Z a-z 0-9 . _ -")
        }
    }

    /// A copy of this key under another ID.
    public func withID(_ newID: String) throws(SessionTokenError) -> SessionKey {
        try SessionKey(validatingID: newID, secret: secret)
    }

    /// The ID that ``generate(id:)`` gives a key when none is chosen: 12 base64url characters
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

    /// Two keys are equal when their IDs and their bytes are; the bytes are compared in
    /// constant time.
    public static func == (lhs: SessionKey, rhs: SessionKey) -> Bool {
        let sameBytes = lhs.secret.constantTimeEquals(rhs.secret)
        return sameBytes && lhs.id == rhs.id
    }

    /// True when both keys hold the same bytes, whatever their IDs (constant time).
    public func hasSameBytes(as other: SessionKey) -> Bool {
        secret.constantTimeEquals(other.secret)
    }

    /// `SessionKey(id: "…")`: never the bytes.
    public var description: String { "SessionKey(id: \(id.debugDescription))" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// Reflection (`dump`, debuggers) shows the ID only.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}
