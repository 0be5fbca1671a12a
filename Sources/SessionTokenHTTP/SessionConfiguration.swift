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
    /// The key ring, read once a request: a ``SessionToken/KeyRingProvider/reload()`` takes
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
    ///     sealer's `updateAge` for re-issue.
    ///   - policy: The cookie policy; its session cookie's name must be the one next-auth uses
    ///     when `nextAuth` is set (``SessionCookies/CookiePolicy/nextAuthV4(secure:)`` or
    ///     ``SessionCookies/CookiePolicy/authJSV5(secure:)``).
    ///   - nextAuth: next-auth's codec, to read and write its session tokens.
    ///   - csrf: The CSRF check.
    ///   - cookieLimits: Bounds on the `Cookie` header.
    ///   - clock: The current time; inject one in tests.
    ///   - revocations: The node's revocations: what every request is checked against, and where
    ///     sign-outs that revoke are written.
    ///   - observer: Receives each open's outcome and each seal; nil (the default) costs nothing.
    public init(
        keys: KeyRingProvider, policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil,
        csrf: CSRFProtection? = nil, cookieLimits: CookieLimits = .default,
        clock: @escaping @Sendable () -> Date = { Date() }, revocations: RevocationService? = nil,
        observer: (any SessionObserver)? = nil
    ) {
        self.settings = Settings(
            keys: keys, policy: policy, nextAuth: nextAuth, csrf: csrf, cookieLimits: cookieLimits, clock: clock,
            revocations: revocations, observer: observer)
    }

    /// Reads the request's cookies and opens its session: the one step a middleware takes before
    /// the handler. Never throws: a `Cookie` header that does not parse, a token that does not
    /// open, has expired or is ambiguous, all leave the request signed out (``RequestSession/session``
    /// is nil), so a malformed cookie can never become a server error.
    ///
    /// - Parameters:
    ///   - cookieHeader: The `Cookie` header; several (HTTP/2 may split one) joined with `; `.
    ///   - now: The time to check against; by default the ``clock``'s.
    public func open(cookieHeader: String?, at now: Date? = nil) -> RequestSession {
        let now = now ?? clock()
        let cookies = cookieHeader.flatMap { try? RequestCookies(header: $0, limits: cookieLimits) } ?? .empty
        let sealer = keys.sealer
        let observer = settings.observer
        func signedOut(_ outcome: OpenOutcome?) -> RequestSession {
            if let outcome { observer?.opened(outcome, keyID: nil) }
            return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now, session: nil,
                replacement: nil)
        }
        if let nextAuth {
            // next-auth's codec reports no reason, and its tokens carry no key ID of ours.
            switch openNextAuth(nextAuth, cookies: cookies, updateAge: sealer.updateAge, at: now) {
            case .absent: return signedOut(nil)
            case .invalid: return signedOut(.invalid)
            case .opened(let session, let replacement):
                if isRevoked(session) { return signedOut(.revoked) }
                observer?.opened(.ok, keyID: nil)
                return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now,
                    session: session, replacement: replacement)
            }
        }
        let read = Result { () throws(SessionTokenError) in
            try SessionCookie.read(cookies, name: policy.session.name, sealer: sealer, at: now)
        }
        let refreshed: RefreshedSession
        switch read {
        case .success(let opened?): refreshed = opened
        case .success(nil): return signedOut(nil)  // no session cookie: nothing was opened
        case .failure(let error): return signedOut(OpenOutcome(error))
        }
        guard let session = OpenedSession(refreshed.session) else { return signedOut(.invalid) }  // no subject
        if isRevoked(session) { return signedOut(.revoked) }
        if let observer {
            observer.opened(.ok, keyID: refreshed.session.keyID)
            if refreshed.replacement != nil { observer.sealed(sealer.keys.primary, reissue: true) }
        }
        return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now, session: session,
            replacement: refreshed.replacement)
    }

    private func isRevoked(_ session: OpenedSession) -> Bool {
        guard let revocations else { return false }
        return revocations.current.revokes(subject: session.subject, issuedAt: session.issuedAt, tokenID: session.tokenID)
    }

    /// What the next-auth session cookie came to.
    private enum NextAuthReading {
        case absent
        /// Present, but its chunks or its token did not read.
        case invalid
        case opened(OpenedSession, replacement: String?)
    }

    /// next-auth's token: opened with the codec and, like next-auth's own session endpoint,
    /// re-encoded with a new `iat`, `exp` and `jti` once it is older than `updateAge`.
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
        return .opened(session, replacement: due ? try? codec.encode(claims, at: now) : nil)
    }
}
