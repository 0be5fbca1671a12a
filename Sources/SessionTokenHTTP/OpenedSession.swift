public import Foundation
public import SessionToken

/// The session a request carried, after its token authenticated and its times passed: the same
/// shape for every ``SessionTokenFormat``.
///
/// Only verification makes one (there is no public initialiser): a value of this type always
/// stands for a token that opened.
public struct OpenedSession: Sendable, Equatable {
    /// The user ID (`sub`).
    public let subject: String
    /// When the token expires (`exp`).
    public let expiresAt: Date
    /// When the token was issued (`iat`), if it says.
    public let issuedAt: Date?
    /// The native token's verified session; nil for a token of another format.
    public let verified: VerifiedSession?
    /// What another format's token said, for that format's module to read back (next-auth's
    /// claims, say); nil for a native token.
    package let foreign: ForeignClaims?

    /// A native session; nil when it names no subject (a service signs users in by subject).
    package init?(_ verified: VerifiedSession) {
        guard let subject = verified.subject else { return nil }
        self.subject = subject
        self.expiresAt = verified.expiresAt
        self.issuedAt = verified.claims.issuedAt
        self.verified = verified
        self.foreign = nil
    }

    /// Another format's session; nil when it names no subject.
    package init?(subject: String?, expiresAt: Date, issuedAt: Date?, foreign: ForeignClaims) {
        guard let subject else { return nil }
        self.subject = subject
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.verified = nil
        self.foreign = foreign
    }

    /// The session's ID (`sid`), kept through every re-issue: what "sign out this device"
    /// revokes. Nil for a token a next-auth front end wrote at its own sign-in. Read from the
    /// token's claims when asked (a native `sid` is kept inline, and most requests never ask).
    public var sessionID: String? { verified?.claims.sessionID ?? foreign?.sessionID }

    /// When the session began: `auth_time`, kept through every re-issue, or `iat` for a token
    /// without it (a next-auth front end's). What "sign out everywhere" compares with.
    public var sessionStart: Date? {
        verified?.claims.sessionStart ?? foreign.flatMap { $0.authenticatedAt ?? issuedAt }
    }

    /// True when the session is device-bound (W3C DBSC): its cookie is short-lived and only the
    /// device holding the registered key can get the next one.
    public var isDeviceBound: Bool { verified?.claims.isDeviceBound ?? false }

    /// The token's ID (`jti`), if it has one (next-auth's tokens do; this library's carry `sid`).
    public var tokenID: String? { verified?.claims.tokenID ?? foreign?.tokenID }

    /// The ID a CSRF token is bound to: the subject and, when the token keeps it, the first
    /// sign-in time (`auth_time`), which survives every re-issue while `jti` and `iat` do not.
    var csrfBinding: String {
        guard let authTime = verified?.claims.authenticatedAt ?? foreign?.authenticatedAt else { return subject }
        return "\(subject)@\(Int(authTime.timeIntervalSince1970))"
    }
}

/// What a session of another format carries beside the common fields: the identity claims the
/// revocation check reads, and the format's own claims value.
package struct ForeignClaims: Sendable, Equatable {
    package let sessionID: String?
    package let authenticatedAt: Date?
    package let tokenID: String?
    /// The format's claims (next-auth's `NextAuthClaims`), compared through their own `==`.
    package let claims: any Sendable & Equatable

    package init(sessionID: String?, authenticatedAt: Date?, tokenID: String?, claims: any Sendable & Equatable) {
        self.sessionID = sessionID
        self.authenticatedAt = authenticatedAt
        self.tokenID = tokenID
        self.claims = claims
    }

    package static func == (lhs: ForeignClaims, rhs: ForeignClaims) -> Bool {
        func equals<T: Equatable>(_ value: T) -> Bool { (rhs.claims as? T) == value }
        return lhs.sessionID == rhs.sessionID && lhs.authenticatedAt == rhs.authenticatedAt
            && lhs.tokenID == rhs.tokenID && equals(lhs.claims)
    }
}
