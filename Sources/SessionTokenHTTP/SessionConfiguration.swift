import Foundation
import SessionCookies
import SessionToken
import SessionTokenNextAuth

/// What a web framework's session middleware needs, written once for every framework: where the
/// keys come from, the cookie policy, the token format, and the CSRF check.
///
/// The framework integrations (`SessionTokenHummingbird`, `SessionTokenVapor`) take one of these
/// and call ``open(cookieHeader:at:)`` once a request; nothing here depends on a framework.
///
/// ```swift
/// let keys = try KeyRingProvider(source: .environment("SESSION_TOKEN_KEYS"))
/// let sessions = SessionConfiguration(keys: keys, policy: .nextAuthV4(secure: true))
/// ```
public struct SessionConfiguration: Sendable {
    /// The key ring, read once a request: a `KeyRingProvider.reload()` takes
    /// effect on the next request.
    public var keys: KeyRingProvider { settings.keys }
    /// The cookie names, lifetimes and attributes.
    public var policy: CookiePolicy { settings.policy }
    /// When set, the session cookie holds next-auth's token (v4 or v5) under this codec instead
    /// of the library's native token: the next-auth front end and this service share it.
    public var nextAuth: NextAuthCodec? { settings.nextAuth }
    /// The CSRF double-submit check; nil to leave CSRF to the application.
    public var csrf: CSRFProtection? { settings.csrf }
    /// Bounds on the `Cookie` header. A header past them leaves the request signed out.
    public var cookieLimits: CookieLimits { settings.cookieLimits }
    /// The clock requests are checked against.
    public var clock: @Sendable () -> Date { settings.clock }
    /// When set, a session it revokes opens as signed out (checked after the token
    /// authenticated and its times passed, in memory: no request waits on a store), and
    /// ``RequestSession/signOut(revoking:)`` writes its revocations.
    public var revocations: RevocationService? { settings.revocations }
    /// Receives each open's outcome and each seal, for metrics (`SessionTokenMetrics`).
    public var observer: (any SessionObserver)? { settings.observer }

    /// The settings behind one reference: every request's ``RequestSession`` keeps the
    /// configuration, and copying a policy's strings one by one was a measurable share of a
    /// request (`make bench-http`).
    private final class Settings: Sendable {
        let keys: KeyRingProvider
        let policy: CookiePolicy
        let nextAuth: NextAuthCodec?
        let csrf: CSRFProtection?
        let cookieLimits: CookieLimits
        let clock: @Sendable () -> Date
        let revocations: RevocationService?
        let observer: (any SessionObserver)?

        init(keys: KeyRingProvider, policy: CookiePolicy, nextAuth: NextAuthCodec?, csrf: CSRFProtection?,
            cookieLimits: CookieLimits, clock: @escaping @Sendable () -> Date, revocations: RevocationService?,
            observer: (any SessionObserver)?)
        {
            self.revocations = revocations
            self.observer = observer
            self.keys = keys
            self.policy = policy
            self.nextAuth = nextAuth
            self.csrf = csrf
            self.cookieLimits = cookieLimits
            self.clock = clock
        }
    }

    private let settings: Settings

    /// A configuration.
    ///
    /// - Parameters:
    ///   - keys: The key ring provider; with `nextAuth` set it still seals nothing, but keeps the
    ///     sealer's `updateAge` for re-issue. Its sealer must be for `TokenPurpose.session`
    ///     (the default): the configuration opens sessions only.
    ///   - policy: The cookie policy. By default, `CookiePolicy.default` for the
    ///     library's native tokens (the session cookie `__Host-` over https), and next-auth's own
    ///     names when `nextAuth` is set (`CookiePolicy.nextAuthV4(secure:)` or
    ///     `CookiePolicy.authJSV5(secure:)`, over https): a policy given with
    ///     `nextAuth` must use the name the front end does.
    ///   - nextAuth: next-auth's codec, to read and write its session tokens.
    ///   - csrf: The CSRF check.
    ///   - cookieLimits: Bounds on the `Cookie` header.
    ///   - clock: The current time; inject one in tests.
    ///   - revocations: The node's revocations: what every request is checked against, and where
    ///     sign-outs that revoke are written. While its set is stale, no token is re-issued.
    ///   - observer: Receives each open's outcome and each seal; nil (the default) costs nothing.
    public init(
        keys: KeyRingProvider, policy: CookiePolicy? = nil, nextAuth: NextAuthCodec? = nil,
        csrf: CSRFProtection? = nil, cookieLimits: CookieLimits = .default,
        clock: @escaping @Sendable () -> Date = { Date() }, revocations: RevocationService? = nil,
        observer: (any SessionObserver)? = nil
    ) {
        let policy = policy ?? {
            switch nextAuth?.format {
            case nil: CookiePolicy.default
            case .v4: CookiePolicy.nextAuthV4(secure: true)
            case .v5: CookiePolicy.authJSV5(secure: true)
            }
        }()
        self.settings = Settings(
            keys: keys, policy: policy, nextAuth: nextAuth, csrf: csrf, cookieLimits: cookieLimits, clock: clock,
            revocations: revocations, observer: observer)
    }

    /// Reads the request's cookies and opens its session: the one step a middleware takes before
    /// the handler. Never throws: a `Cookie` header that does not parse, a token that does not
    /// open, has expired, is revoked or is ambiguous, all leave the request signed out
    /// (``RequestSession/session`` is nil), so a malformed cookie can never become a server error.
    ///
    /// The steps: authenticate and check the times; check the revocations; then, only for a
    /// session that passed and is due (its key is no longer the primary, or it is older than
    /// `updateAge`), seal its replacement, unless the revocation set is stale.
    ///
    /// - Parameters:
    ///   - cookieHeader: The `Cookie` header; several (HTTP/2 may split one) joined with `; `.
    ///   - now: The time to check against; by default the ``clock``'s.
    public func open(cookieHeader: String?, at now: Date? = nil) -> RequestSession {
        let now = now ?? clock()
        let cookies: RequestCookies
        var scanned: RequestCookies?
        if let cookieHeader {
            do throws(CookieError) {
                cookies = try RequestCookies(header: cookieHeader, limits: cookieLimits)
            } catch {
                // Over the limits (planted cookies, say): signed out, but the CSRF cookie and the
                // session's chunks are still found, so that the visitor can sign out.
                cookies = .empty
                scanned = RequestCookies.scanning(header: cookieHeader, for: policy.csrf.name, chunked: policy.session.name)
            }
        } else {
            cookies = .empty
        }
        let sealer = keys.sealer
        let observer = settings.observer
        func signedOut(_ outcome: OpenOutcome?) -> RequestSession {
            if let outcome { observer?.opened(outcome, keyID: nil) }
            return RequestSession(configuration: self, sealer: sealer, cookies: cookies, scanned: scanned, now: now,
                session: nil, replacement: nil)
        }
        guard sealer.purpose == .session else { return signedOut(.invalid) }
        if let nextAuth {
            // next-auth's codec reports no reason, and its tokens carry no key ID of ours.
            switch openNextAuth(nextAuth, cookies: cookies, updateAge: sealer.updateAge, at: now) {
            case .absent: return signedOut(nil)
            case .invalid: return signedOut(.invalid)
            case .opened(let session, let token, let due):
                if isRevoked(session) { return signedOut(.revoked) }
                observer?.opened(.ok, keyID: nil)
                let replacement = due && mayReissue ? try? nextAuth.reissue(token, at: now) : nil
                return RequestSession(configuration: self, sealer: sealer, cookies: cookies, scanned: nil, now: now,
                    session: session, replacement: replacement)
            }
        }
        let token: String
        do throws(SessionTokenError) {
            guard let found = try SessionCookie.token(in: cookies, name: policy.session.name, maxLength: sealer.maxTokenLength)
            else { return signedOut(nil) }  // no session cookie: nothing was opened
            token = found
        } catch {
            return signedOut(.invalid)
        }
        let verified: VerifiedSession
        do throws(SessionTokenError) {
            verified = try sealer.open(token, at: now)
        } catch {
            return signedOut(OpenOutcome(error))
        }
        guard let session = OpenedSession(verified) else { return signedOut(.invalid) }  // no subject
        if isRevoked(session) { return signedOut(.revoked) }
        var replacement: String?
        if verified.needsReissue, mayReissue {
            // Opens the token again: re-issue comes once a day per session, and the hot path
            // stays one open.
            replacement = (try? sealer.refresh(token, at: now))?.replacement
        }
        if let observer {
            observer.opened(.ok, keyID: verified.keyID)
            if replacement != nil { observer.sealed(sealer.keys.primary, reissue: true) }
        }
        return RequestSession(configuration: self, sealer: sealer, cookies: cookies, scanned: nil, now: now,
            session: session, replacement: replacement)
    }

    /// False while the revocation set is stale: a node that may have missed a revocation must
    /// not hand a fresh token to whoever holds the revoked session's cookie.
    private var mayReissue: Bool { !(revocations?.isStale ?? false) }

    private func isRevoked(_ session: OpenedSession) -> Bool {
        guard let revocations else { return false }
        // A native session is checked by its inline `sid`, making no String of it.
        if let verified = session.verified { return revocations.current.revokes(verified) }
        return revocations.current.revokes(
            subject: session.subject, sessionStart: session.sessionStart, sessionID: session.sessionID ?? session.tokenID)
    }

    /// What the next-auth session cookie came to.
    private enum NextAuthReading {
        case absent
        /// Present, but its chunks or its token did not read.
        case invalid
        /// Opened: the session, the token, and whether it is due for re-issue.
        case opened(OpenedSession, token: String, due: Bool)
    }

    /// next-auth's token, opened with the codec. Like next-auth's own session endpoint, it is
    /// due for re-issue (every claim kept, a new `iat`, `exp` and `jti`) once older than `updateAge`.
    private func openNextAuth(_ codec: NextAuthCodec, cookies: RequestCookies, updateAge: TimeInterval, at now: Date)
        -> NextAuthReading
    {
        let token: String
        switch CookieChunks.join(cookies, name: policy.session.name, maxLength: codec.maxTokenLength) {
        case .absent: return .absent
        case .malformed: return .invalid
        case .value(let value): token = value
        }
        guard let claims = try? codec.decode(token, at: now), let session = OpenedSession(claims) else { return .invalid }
        let due = claims.issuedAt.map { now.timeIntervalSince($0) >= updateAge } ?? true
        return .opened(session, token: token, due: due)
    }
}
