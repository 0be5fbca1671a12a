import struct Foundation.Date

/// What opening a token yields: its authenticated, time-checked claims and the key that
/// opened it.
public struct VerifiedSession: Sendable, Equatable {
    /// The registered claims.
    public let claims: SessionClaims
    /// The ID of the key that authenticated the token.
    public let keyID: String

    /// Creates a verified session (for tests and adapters; ``SessionSealer`` makes these).
    public init(claims: SessionClaims, keyID: String) {
        self.claims = claims
        self.keyID = keyID
    }

    /// The user ID (`sub`).
    public var subject: String? { claims.subject }

    /// When the token expires (`exp`).
    public var expiresAt: Date { claims.expiresAt }
}
