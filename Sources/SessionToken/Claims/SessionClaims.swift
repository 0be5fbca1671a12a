import struct Foundation.Date

/// The registered claims (RFC 7519 §4.1) of an opened token. Custom claims are read through
/// `Codable` with ``SessionSealer/open(_:decoding:at:)``.
///
/// A value type with copy-on-write storage: opening hands the claims through several layers,
/// and one reference moves where 136 bytes of fields (with a retain per string) would be
/// copied at each of them.
public struct SessionClaims: Sendable, Equatable {
    private var storage: Storage

    /// `sub`: the user ID. Tokens sealed by this library always carry it.
    public var subject: String? {
        get { storage.subject }
        set { unique().subject = newValue }
    }
    /// `iat`: when the token was sealed.
    public var issuedAt: Date? {
        get { storage.issuedAt }
        set { unique().issuedAt = newValue }
    }
    /// `exp`: when the token stops being accepted. Every session token has one.
    public var expiresAt: Date {
        get { storage.expiresAt }
        set { unique().expiresAt = newValue }
    }
    /// `nbf`: before this time the token is not accepted.
    public var notBefore: Date? {
        get { storage.notBefore }
        set { unique().notBefore = newValue }
    }
    /// `jti`: a unique token ID (128 random bits, base64url, in tokens sealed here).
    public var tokenID: String? {
        get { storage.tokenID.string }
        set { unique().tokenID = InlineText(newValue) }
    }
    /// `iss`: who issued the token.
    public var issuer: String? {
        get { storage.issuer }
        set { unique().issuer = newValue }
    }
    /// `auth_time`: when the user first signed in; carried unchanged through re-issues and
    /// counted from by the absolute session limit. Written only when that limit is configured.
    public var authenticatedAt: Date? {
        get { storage.authenticatedAt }
        set { unique().authenticatedAt = newValue }
    }
    /// `aud`: the intended audiences; empty when the claim is absent. A single string is read
    /// as a one-element list.
    public var audience: [String] {
        get { storage.audience }
        set { unique().audience = newValue }
    }

    /// Creates a set of registered claims.
    public init(
        subject: String?, issuedAt: Date?, expiresAt: Date, notBefore: Date? = nil, tokenID: String? = nil,
        issuer: String? = nil, audience: [String] = [], authenticatedAt: Date? = nil
    ) {
        storage = Storage(
            subject: subject, issuedAt: issuedAt, expiresAt: expiresAt, notBefore: notBefore,
            tokenID: InlineText(tokenID), issuer: issuer, audience: audience, authenticatedAt: authenticatedAt)
    }

    /// The fast reader's form: the token ID as read, kept inline when short (``InlineText``),
    /// so that opening allocates the storage and nothing else.
    init(
        subject: String, issuedAt: Date, expiresAt: Date, tokenID: InlineText, issuer: String?,
        audience: [String], authenticatedAt: Date?
    ) {
        storage = Storage(
            subject: subject, issuedAt: issuedAt, expiresAt: expiresAt, notBefore: nil, tokenID: tokenID,
            issuer: issuer, audience: audience, authenticatedAt: authenticatedAt)
    }

    /// Claims are equal when every claim is; `jti` is compared as text, however it is stored.
    public static func == (lhs: SessionClaims, rhs: SessionClaims) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.subject == rhs.subject && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt
            && lhs.notBefore == rhs.notBefore && lhs.tokenID == rhs.tokenID && lhs.issuer == rhs.issuer
            && lhs.authenticatedAt == rhs.authenticatedAt && lhs.audience == rhs.audience
    }

    /// The claim names this library reads and writes itself; custom claims may not use them.
    public static let registeredNames: Set<String> = ["sub", "iat", "exp", "nbf", "jti", "iss", "aud", "auth_time"]

    /// The storage, copied first when another value shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The fields. Written only through `unique()`, that is only while one value holds the
    /// object, which is what makes sharing it between threads safe.
    private final class Storage: @unchecked Sendable {
        var subject: String?
        var issuedAt: Date?
        var expiresAt: Date
        var notBefore: Date?
        var tokenID: InlineText
        var issuer: String?
        var audience: [String]
        var authenticatedAt: Date?

        init(
            subject: String?, issuedAt: Date?, expiresAt: Date, notBefore: Date?, tokenID: InlineText,
            issuer: String?, audience: [String], authenticatedAt: Date?
        ) {
            self.subject = subject
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
            self.notBefore = notBefore
            self.tokenID = tokenID
            self.issuer = issuer
            self.audience = audience
            self.authenticatedAt = authenticatedAt
        }

        func copy() -> Storage {
            Storage(
                subject: subject, issuedAt: issuedAt, expiresAt: expiresAt, notBefore: notBefore, tokenID: tokenID,
                issuer: issuer, audience: audience, authenticatedAt: authenticatedAt)
        }
    }
}
