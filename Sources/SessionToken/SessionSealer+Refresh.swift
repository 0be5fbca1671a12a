public import Foundation
import SessionTokenInternals

extension SessionSealer {
    /// Opens a token and, when it is due (``VerifiedSession/needsReissue``: sealed under a key
    /// that is no longer primary, or older than ``updateAge``), seals its replacement under the
    /// primary key: a rolling session.
    ///
    /// The replacement continues the session: it keeps `sub`, every custom claim byte for byte,
    /// the session ID `sid` and `auth_time` (the sign-in, never reset); it gets a new `iat` and
    /// `exp` = now + ``lifetime``, capped by ``absoluteLifetime`` counted from `auth_time`. Past
    /// that limit the session ends: opening throws ``SessionTokenError/expired`` and nothing is
    /// re-issued. A token without `sid` (not sealed by this library) gets a new one, and one
    /// without `auth_time` starts its session at its `iat`.
    ///
    /// - Throws: As ``open(_:at:)``.
    public func refresh(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> RefreshedSession {
        try withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard session.needsReissue else { return RefreshedSession(session: session, replacement: nil) }
            let replacement = try replacement(for: session, payload: payload, at: now)
            return RefreshedSession(session: session, replacement: replacement)
        }
    }

    /// ``refresh(_:at:)`` for the request path, with a say for the caller: `mayReissue` sees
    /// every session that opened, before anything is sealed for it, and a due session is
    /// re-issued only when it returns true (the configuration checks revocation there), from
    /// the plaintext the open has just read: a re-issued request decrypts its token once. A
    /// replacement that cannot be made is nil, and the session still opened: the request keeps
    /// its session until the token expires, as when re-issue is not due.
    package func open(
        _ token: String, at now: Date, reissuingIf mayReissue: (VerifiedSession) -> Bool
    ) throws(SessionTokenError) -> (session: VerifiedSession, replacement: String?) {
        try withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard mayReissue(session), session.needsReissue else { return (session, nil) }
            return (session, try? replacement(for: session, payload: payload, at: now))
        }
    }

    /// The token that continues `session`, sealed from its authenticated `payload`; nil for a
    /// session without a subject. Kept out of line: most requests are not due, and their path
    /// stays as short as an `open`.
    @inline(never)
    private func replacement(
        for session: borrowing VerifiedSession, payload: UnsafeRawBufferPointer, at now: Date
    ) throws(SessionTokenError) -> String? {
        guard let subject = session.claims.subject else { return nil }
        // Claims of the exact form this library seals without custom claims (the fast
        // reader takes no other) carry none to keep; any other payload goes through the
        // strict reader for its custom members.
        let custom: [UInt8]
        if ClaimsReader.readFast(payload, limits: claimsLimits) != nil {
            custom = []
        } else {
            do throws(ClaimsReader.Failure) {
                custom = try ClaimsReader.customMembers(payload, limits: claimsLimits)
            } catch {
                throw .invalid
            }
        }
        // The session a foreign token cannot name is started where it can show: its `iat`.
        let continuing = session.claims.sessionStart.map { start in
            Continuation(
                sessionID: session.claims.sessionID ?? SessionSealer.makeSessionID(),
                authTime: start.timeIntervalSince1970)
        }
        do throws(SessionTokenError) {
            return try seal(subject: subject, customMembers: custom[...], at: now, continuing: continuing).token
        } catch {
            // The claims fitted when first sealed; a smaller limit since then ends the session.
            if case .unsealable = error { throw .invalid }
            throw error
        }
    }
}

extension SessionSealer {
    /// A new session ID: 128 bits from libsodium's CSPRNG as 22 base64url characters, the form
    /// sealing writes; for sessions another format carries (next-auth's).
    public static func makeSessionID() -> String {
        var bytes = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &bytes) { raw in
            Sodium.randomBytes(raw)
            return Base64URL.encode(UnsafeRawBufferPointer(raw))
        }
    }
}
