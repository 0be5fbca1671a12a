import struct Foundation.Date

/// The registered claims (RFC 7519 §4.1) of an opened token. Custom claims are read through
/// `Codable` with ``SessionSealer/open(_:decoding:at:)``.
public struct SessionClaims: Sendable, Equatable {
    /// `sub`: the user ID. Tokens sealed by this library always carry it.
    public var subject: String?
    /// `iat`: when the token was sealed.
    public var issuedAt: Date?
    /// `exp`: when the token stops being accepted. Every session token has one.
    public var expiresAt: Date
    /// `nbf`: before this time the token is not accepted.
    public var notBefore: Date?
    /// `jti`: a unique token ID (128 random bits, base64url, in tokens sealed here).
    public var tokenID: String?
    /// `iss`: who issued the token.
    public var issuer: String?
    /// `auth_time`: when the user first signed in; carried unchanged through re-issues and
    /// counted from by the absolute session limit. Written only when that limit is configured.
    public var authenticatedAt: Date?
    /// `aud`: the intended audiences; empty when the claim is absent. A single string is read
    /// as a one-element list.
    public var audience: [String]

    /// Creates a set of registered claims.
    public init(
        subject: String?, issuedAt: Date?, expiresAt: Date, notBefore: Date? = nil, tokenID: String? = nil,
        issuer: String? = nil, audience: [String] = [], authenticatedAt: Date? = nil
    ) {
        self.authenticatedAt = authenticatedAt
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.tokenID = tokenID
        self.issuer = issuer
        self.audience = audience
    }

    /// The claim names this library reads and writes itself; custom claims may not use them.
    public static let registeredNames: Set<String> = ["sub", "iat", "exp", "nbf", "jti", "iss", "aud", "auth_time"]
}
