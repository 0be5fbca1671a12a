import Foundation
import SessionToken
import SessionTokenNextAuth

/// The session a request carried, after its token authenticated and its times passed: the same
/// shape for the library's native tokens and for next-auth's.
public struct OpenedSession: Sendable, Equatable {
    /// The user ID (`sub`).
    public let subject: String
    /// When the token expires (`exp`).
    public let expiresAt: Date
    /// When the token was issued (`iat`), if it says.
    public let issuedAt: Date?
    /// The native token's verified session; nil for a next-auth token.
    public let verified: VerifiedSession?
    /// The next-auth token's claims; nil for a native token.
    public let nextAuth: NextAuthClaims?

    /// A native session; nil when it names no subject (a service signs users in by subject).
    public init?(_ verified: VerifiedSession) {
        guard let subject = verified.subject else { return nil }
        self.subject = subject
        self.expiresAt = verified.expiresAt
        self.issuedAt = verified.claims.issuedAt
        self.verified = verified
        self.nextAuth = nil
    }

    /// A next-auth session; nil when it names no subject.
    public init?(_ claims: NextAuthClaims) {
        guard let subject = claims.subject else { return nil }
        self.subject = subject
        self.expiresAt = claims.expiresAt
        self.issuedAt = claims.issuedAt
        self.verified = nil
        self.nextAuth = claims
    }

    /// The session's ID (`sid`), kept through every re-issue: what "sign out this device"
    /// revokes. Nil for a token a next-auth front end wrote at its own sign-in. Read from the
    /// token's claims when asked (a native `sid` is kept inline, and most requests never ask).
    public var sessionID: String? { verified?.claims.sessionID ?? nextAuth?.sessionID }

    /// When the session began: `auth_time`, kept through every re-issue, or `iat` for a token
    /// without it (a next-auth front end's). What "sign out everywhere" compares with.
    public var sessionStart: Date? {
        verified?.claims.sessionStart ?? nextAuth.flatMap { $0.authenticatedAt ?? $0.issuedAt }
    }

    /// The token's ID (`jti`), if it has one (next-auth's tokens do; this library's carry `sid`).
    public var tokenID: String? { verified?.claims.tokenID ?? nextAuth?.tokenID }

    /// The ID a CSRF token is bound to: the subject and, when the token keeps it, the first
    /// sign-in time (`auth_time`), which survives every re-issue while `jti` and `iat` do not.
    var csrfBinding: String {
        guard let authTime = verified?.claims.authenticatedAt ?? nextAuth?.authenticatedAt else { return subject }
        return "\(subject)@\(Int(authTime.timeIntervalSince1970))"
    }
}
