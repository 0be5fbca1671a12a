public import struct Foundation.Date

/// What opening a token yields: its authenticated, time-checked claims and the key that
/// opened it.
public struct VerifiedSession: Sendable, Equatable {
    /// The registered claims.
    public let claims: SessionClaims
    /// The ID of the key that authenticated the token.
    public let keyID: String
    /// Whether that key is the ring's primary.
    public let isPrimaryKey: Bool
    /// True when the token should be replaced by a fresh one: its key is no longer the primary,
    /// or it is older than the sealer's `updateAge` (or has no `iat`).
    /// ``SessionSealer/refresh(_:at:)`` does the re-issue.
    public let needsReissue: Bool

    /// Made only by verification (``SessionSealer``), and by sealing, which knows what it sealed.
    package init(claims: SessionClaims, keyID: String, isPrimaryKey: Bool, needsReissue: Bool) {
        self.claims = claims
        self.keyID = keyID
        self.isPrimaryKey = isPrimaryKey
        self.needsReissue = needsReissue
    }

    /// The user ID (`sub`).
    public var subject: String? { claims.subject }

    /// When the token expires (`exp`).
    public var expiresAt: Date { claims.expiresAt }
}
