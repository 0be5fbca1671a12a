public import Foundation
public import SessionToken

// Opening with the revocations in force: the core's opening path, then the revocation check,
// before anything else of the token is read.
extension SessionSealer {
    /// Opens a token, then checks it against the revocations in force: authentication and the
    /// time checks come first, so only a genuine, current token can be reported revoked.
    ///
    /// - Parameters:
    ///   - token: The compact JWE, as sent.
    ///   - now: The current time; inject it in tests.
    ///   - revocations: The node's revocations, usually ``RevocationList/current``.
    /// - Throws: As `open(_:at:)`; also `SessionTokenError.revoked`.
    public func open(_ token: String, at now: Date = Date(), revocations: RevocationSet) throws(SessionTokenError)
        -> VerifiedSession
    {
        let session = try open(token, at: now)
        guard !revocations.revokes(session) else { throw .revoked }
        return session
    }

    /// Opens a token, checks it against the revocations in force, and decodes its claims as
    /// `Custom`: in that order, so a revoked token's claims are never decoded.
    ///
    /// - Throws: As `open(_:decoding:at:)`; also `SessionTokenError.revoked`.
    public func open<Custom: Decodable>(
        _ token: String, decoding type: Custom.Type, at now: Date = Date(), revocations: RevocationSet
    ) throws(SessionTokenError) -> (session: VerifiedSession, custom: Custom) {
        try withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard !revocations.revokes(session) else { throw .revoked }
            guard let custom = ClaimsDecoding.decode(Custom.self, from: payload) else { throw .invalid }
            return (session, custom)
        }
    }
}
