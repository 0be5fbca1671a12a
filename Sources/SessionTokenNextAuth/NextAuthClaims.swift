public import struct Foundation.Date
import SessionToken

/// The claims next-auth's default `jwt` callback writes: the user's `name`, `email`,
/// `picture` and `sub`, then `iat`, `exp` and `jti`; and the session's ID (`sid`) and sign-in
/// time (`auth_time`) that this library adds when it signs a user in (next-auth ignores them
/// and keeps them through its own re-issues).
///
/// Decoded through `Codable` with dates as seconds since 1970. For the members your own `jwt`
/// callback adds, decode a type of your own with ``NextAuthCodec/decode(_:as:at:)``; it may
/// repeat any of these.
public struct NextAuthClaims: Codable, Sendable, Equatable {
    /// `name`: the user's display name (absent or null when the provider has none).
    public var name: String?
    /// `email`: the user's email address.
    public var email: String?
    /// `picture`: the URL of the user's image.
    public var picture: String?
    /// `sub`: the user ID.
    public var subject: String?
    /// `iat`: when the token was written.
    public var issuedAt: Date?
    /// `exp`: when the token stops being accepted. next-auth always writes it.
    public var expiresAt: Date
    /// `jti`: the token's ID, a random UUID.
    public var tokenID: String?
    /// `sid`: the session's ID, when this library signed the user in; nil in a token the
    /// next-auth front end wrote at its own sign-in.
    public var sessionID: String?
    /// `auth_time`: when the user signed in, when this library did it; nil otherwise (then the
    /// session is held to start at `iat`).
    public var authenticatedAt: Date?

    /// Creates a set of claims.
    public init(
        name: String? = nil, email: String? = nil, picture: String? = nil, subject: String? = nil,
        issuedAt: Date? = nil, expiresAt: Date, tokenID: String? = nil, sessionID: String? = nil,
        authenticatedAt: Date? = nil
    ) {
        self.name = name
        self.email = email
        self.picture = picture
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.sessionID = sessionID
        self.authenticatedAt = authenticatedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, email, picture
        case subject = "sub"
        case issuedAt = "iat"
        case expiresAt = "exp"
        case tokenID = "jti"
        case sessionID = "sid"
        case authenticatedAt = "auth_time"
    }
}

extension NextAuthClaims {
    /// The claims a decode read: the registered ones and the profile members it picked
    /// (`NextAuthCodec.profileMembers`, in that order).
    init(_ claims: SessionClaims, picked: [String?]) {
        self.init(
            name: picked[0], email: picked[1], picture: picked[2], subject: claims.subject,
            issuedAt: claims.issuedAt, expiresAt: claims.expiresAt, tokenID: claims.tokenID,
            sessionID: claims.sessionID, authenticatedAt: claims.authenticatedAt)
    }
}
