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
    public let keys: KeyRingProvider
    /// The cookie names, lifetimes and attributes.
    public let policy: CookiePolicy
    /// When set, the session cookie holds next-auth's token (v4 or v5) under this codec instead
    /// of the library's native token: the next-auth front end and this service share it.
    public let nextAuth: NextAuthCodec?
    /// The CSRF double-submit check; nil to leave CSRF to the application.
    public let csrf: CSRFProtection?
    /// Bounds on the `Cookie` header. A header past them leaves the request signed out.
    public let cookieLimits: CookieLimits
    /// The clock requests are checked against.
    public let clock: @Sendable () -> Date

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
    public init(
        keys: KeyRingProvider, policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil,
        csrf: CSRFProtection? = nil, cookieLimits: CookieLimits = .default,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.clock = clock
        self.keys = keys
        self.policy = policy
        self.nextAuth = nextAuth
        self.csrf = csrf
        self.cookieLimits = cookieLimits
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
        if let nextAuth {
            return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now,
                opened: openNextAuth(nextAuth, cookies: cookies, updateAge: sealer.updateAge, at: now))
        }
        let cookie = SessionCookie(sealer: sealer, policy: policy)
        guard let refreshed = try? cookie.read(cookies, at: now), let session = OpenedSession(refreshed.session) else {
            return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now, opened: nil)
        }
        return RequestSession(configuration: self, sealer: sealer, cookies: cookies, now: now,
            opened: (session, refreshed.replacement))
    }

    /// next-auth's token: opened with the codec and, like next-auth's own session endpoint,
    /// re-encoded with a new `iat`, `exp` and `jti` once it is older than `updateAge`.
    private func openNextAuth(_ codec: NextAuthCodec, cookies: RequestCookies, updateAge: TimeInterval, at now: Date)
        -> (OpenedSession, String?)?
    {
        guard case .value(let token) = CookieChunks.join(cookies, name: policy.session.name, maxLength: codec.maxTokenLength),
            let claims = try? codec.decode(token, at: now), let session = OpenedSession(claims)
        else { return nil }
        let due = claims.issuedAt.map { now.timeIntervalSince($0) >= updateAge } ?? true
        return (session, due ? try? codec.encode(claims, at: now) : nil)
    }
}
