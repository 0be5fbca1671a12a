import Foundation

extension SessionSealer {
    /// Opens a token and, when it is due (``VerifiedSession/needsReissue``: sealed under a key
    /// that is no longer primary, or older than ``updateAge``), seals its replacement under the
    /// primary key: a rolling session.
    ///
    /// The replacement keeps `sub`, every custom claim byte for byte, and `auth_time` (the
    /// original sign-in, never reset); it gets a new `iat`, `jti` and `exp` = now + ``lifetime``,
    /// capped by ``absoluteLifetime`` counted from `auth_time`. Past that limit the session
    /// ends: opening throws ``SessionTokenError/expired`` and nothing is re-issued.
    ///
    /// - Throws: As ``open(_:at:)``.
    public func refresh(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> RefreshedSession {
        try withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard session.needsReissue, let subject = session.claims.subject else {
                return RefreshedSession(session: session, replacement: nil)
            }
            let custom: [UInt8]
            do throws(ClaimsReader.Failure) {
                custom = try ClaimsReader.customMembers(payload, limits: claimsLimits)
            } catch {
                throw .invalid
            }
            let authTime = (session.claims.authenticatedAt
                ?? (absoluteLifetime == nil ? nil : session.claims.issuedAt))?.timeIntervalSince1970
            let replacement: String
            do throws(SessionTokenError) {
                replacement = try seal(subject: subject, customMembers: custom[...], at: now, authTime: authTime)
            } catch {
                // The claims fitted when first sealed; a smaller limit since then ends the session.
                if case .unsealable = error { throw .invalid }
                throw error
            }
            return RefreshedSession(session: session, replacement: replacement)
        }
    }
}
