package import Foundation
package import SessionCookies
package import SessionToken

/// One token format's steps, behind ``SessionTokenFormat``: authenticate a token and check its
/// times, re-issue it, seal a new one. Package-only, because each step hands out verified
/// sessions, which only this package's verification makes.
///
/// Every step takes the request's sealer: the native format seals and opens with it, and
/// others read its `updateAge` (when a session is due for re-issue). The configuration reads
/// the sealer once a request, so a key-ring reload never splits a request across two rings.
package protocol TokenFormatImplementation: Sendable {
    /// The cookie policy when the configuration names none.
    var defaultPolicy: CookiePolicy { get }

    /// The longest token the session cookie may carry (joined from its chunks).
    func maxTokenLength(sealer: SessionSealer) -> Int

    /// How long a token this format seals lives: the session cookie's `Max-Age` never
    /// outlives it.
    func lifetime(sealer: SessionSealer) -> TimeInterval

    /// Authenticates `token`, checks its times and, when the session is due and `mayReissue`
    /// allows, seals its replacement (the same session, a new expiry) from the claims it has
    /// just decrypted: a re-issued request decrypts its token once.
    ///
    /// `mayReissue` is called exactly once for every session that opened, before anything is
    /// sealed for it: the configuration checks revocation there. A replacement that cannot be
    /// made is left out; the session still opened.
    func open(_ token: String, sealer: SessionSealer, at now: Date, mayReissue: (OpenedSession) -> Bool) -> TokenOpening

    /// A new session for `subject` (a new `sid`, `auth_time` now): its token and the session
    /// the token opens as, made from the sealed claims without opening the token again.
    func seal(subject: String, custom: some Encodable & Sendable, sealer: SessionSealer, at now: Date)
        throws(SessionTokenError) -> (token: String, session: OpenedSession)
}

/// What opening a token came to.
package enum TokenOpening: Sendable {
    /// It did not open: the outcome metrics count.
    case failed(OpenOutcome)
    /// It authenticated and its times passed. `replacement` is the token re-issued for it, if
    /// any; `keyID` names the key that opened it, when the format has key IDs of this library's.
    case opened(OpenedSession, replacement: String?, keyID: String?)
}

/// No custom claims: sealing takes the format's shortest path.
package struct EmptyClaims: Encodable, Sendable {
    package init() {}
}
