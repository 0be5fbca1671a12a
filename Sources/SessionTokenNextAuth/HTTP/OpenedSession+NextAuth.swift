public import SessionTokenHTTP

extension OpenedSession {
    /// A next-auth session; nil when it names no subject.
    init?(_ claims: NextAuthClaims) {
        self.init(
            subject: claims.subject, expiresAt: claims.expiresAt, issuedAt: claims.issuedAt,
            foreign: ForeignClaims(
                sessionID: claims.sessionID, authenticatedAt: claims.authenticatedAt, tokenID: claims.tokenID,
                claims: claims))
    }

    /// The next-auth token's claims (name, email, picture and the front end's own); nil for a
    /// native token.
    public var nextAuth: NextAuthClaims? { foreign?.claims as? NextAuthClaims }
}
