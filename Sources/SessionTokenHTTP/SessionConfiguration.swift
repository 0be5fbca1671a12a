public import Foundation
public import SessionCookies
public import SessionToken
public import SessionTokenRevocation

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
    /// What the session cookie holds: the library's token (``SessionTokenFormat/native``), or
    /// next-auth's (`SessionTokenFormat.nextAuth(_:)`), which a next-auth front end shares.
    public var format: SessionTokenFormat { SessionTokenFormat(settings.format) }
    /// The format's steps, without a wrapper per call.
    package var formatImplementation: any TokenFormatImplementation { settings.format }
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
    public var onEvent: (@Sendable (SessionEvent) -> Void)? { settings.onEvent }
    /// Device-bound sessions (W3C DBSC), when configured: the middlewares serve its endpoints
    /// and offer registration at sign-in.
    public var deviceBinding: DeviceBinding? { settings.deviceBinding }

    /// The settings behind one reference: every request's ``RequestSession`` keeps the
    /// configuration, and copying a policy's strings one by one was a measurable share of a
    /// request (`make bench-http`).
    private final class Settings: Sendable {
        let keys: KeyRingProvider
        let policy: CookiePolicy
        let format: any TokenFormatImplementation
        let csrf: CSRFProtection?
        let cookieLimits: CookieLimits
        let clock: @Sendable () -> Date
        let revocations: RevocationService?
        let onEvent: (@Sendable (SessionEvent) -> Void)?
        let deviceBinding: DeviceBinding?

        init(keys: KeyRingProvider, policy: CookiePolicy, format: any TokenFormatImplementation, csrf: CSRFProtection?,
            cookieLimits: CookieLimits, clock: @escaping @Sendable () -> Date, revocations: RevocationService?,
            onEvent: (@Sendable (SessionEvent) -> Void)?, deviceBinding: DeviceBinding?)
        {
            self.deviceBinding = deviceBinding
            self.revocations = revocations
            self.onEvent = onEvent
            self.keys = keys
            self.policy = policy
            self.format = format
            self.csrf = csrf
            self.cookieLimits = cookieLimits
            self.clock = clock
        }
    }

    private let settings: Settings

    /// A configuration.
    ///
    /// - Parameters:
    ///   - keys: The key ring provider; for a format other than the native one it seals nothing,
    ///     but keeps the sealer's `updateAge` for re-issue. Its sealer must be for
    ///     `TokenPurpose.session` (the default): the configuration opens sessions only.
    ///   - format: What the session cookie holds; the library's own token by default.
    ///   - policy: The cookie policy; by default the format's: `CookiePolicy.default`
    ///     for native tokens (the session cookie `__Host-` over https), next-auth's own names for
    ///     next-auth's. A policy given for next-auth's format must use the name the front end does.
    ///   - csrf: The CSRF check.
    ///   - cookieLimits: Bounds on the `Cookie` header.
    ///   - clock: The current time; inject one in tests.
    ///   - revocations: The node's revocations: what every request is checked against, and where
    ///     sign-outs that revoke are written. While its set is stale, no token is re-issued.
    ///   - onEvent: Receives each open's outcome and each seal (`SessionEvent`);
    ///     nil (the default) costs nothing.
    ///   - deviceBinding: Device-bound sessions (`SessionTokenDeviceBound`'s
    ///     `.deviceBound(origin:...)`); nil (the default) for bearer sessions only. It needs the
    ///     native format and `revocations` (registration retires the session's bearer cookie
    ///     through them); without either, no registration is offered and its endpoints answer 404.
    public init(
        keys: KeyRingProvider, format: SessionTokenFormat = .native, policy: CookiePolicy? = nil,
        csrf: CSRFProtection? = nil, cookieLimits: CookieLimits = .default,
        clock: @escaping @Sendable () -> Date = { Date() }, revocations: RevocationService? = nil,
        onEvent: (@Sendable (SessionEvent) -> Void)? = nil, deviceBinding: DeviceBinding? = nil
    ) {
        self.settings = Settings(
            keys: keys, policy: policy ?? format.defaultPolicy, format: format.implementation, csrf: csrf, cookieLimits: cookieLimits, clock: clock,
            revocations: revocations, onEvent: onEvent, deviceBinding: deviceBinding)
    }

    /// True when device-bound sessions can run: configured, with the native format and a
    /// revocation service.
    package var deviceBindingIsUsable: Bool {
        settings.deviceBinding != nil && settings.revocations != nil && settings.format is NativeTokenFormat
    }

    /// Reads the request's cookies and opens its session: the one step a middleware takes before
    /// the handler. Never throws: a `Cookie` header that does not parse, a token that does not
    /// open, has expired, is revoked or is ambiguous, all leave the request signed out
    /// (``RequestSession/session`` is nil), so a malformed cookie can never become a server error.
    ///
    /// The steps, the same for every format: join the session cookie's chunks; authenticate
    /// and check the times (the format's); check the revocations; then, only for a session
    /// that passed and is due (its key is no longer the primary, or it is older than
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
        let onEvent = settings.onEvent
        func signedOut(_ outcome: OpenOutcome?) -> RequestSession {
            if let outcome { onEvent?(.opened(outcome, keyID: nil)) }
            return RequestSession(configuration: self, sealer: sealer, cookies: cookies, scanned: scanned, now: now,
                session: nil, replacement: nil)
        }
        guard sealer.purpose == .session else { return signedOut(.invalid) }
        let format = settings.format

        // 1. The token, joined from the session cookie's chunks.
        let token: String
        switch CookieChunks.join(cookies, name: policy.session.name, maxLength: format.maxTokenLength(sealer: sealer)) {
        case .absent: return signedOut(nil)  // no session cookie: nothing was opened
        case .malformed: return signedOut(.invalid)
        case .value(let value): token = value
        }

        // 2. Authenticated, and its times checked, by its format; 3. not revoked, checked by
        //    the format's call back before anything is sealed for it; 4. re-issued when due,
        //    from the same decryption, unless it is revoked or the revocation set is stale.
        let session: OpenedSession
        let replacement: String?
        let keyID: String?
        var revoked: Bool?
        let reissueAllowed = mayReissue
        let opening = format.open(token, sealer: sealer, at: now) { session in
            let isOut = isRevoked(session)
            revoked = isOut
            return !isOut && reissueAllowed
        }
        switch opening {
        case .failed(let outcome): return signedOut(outcome)
        case .opened(let opened, let made, let openedBy): (session, replacement, keyID) = (opened, made, openedBy)
        }
        // A format that skipped the call back still never lets a revoked session through
        // (its replacement then goes too).
        if revoked ?? isRevoked(session) { return signedOut(.revoked) }
        if let onEvent {
            onEvent(.opened(.ok, keyID: keyID))
            // Only a format with this library's keys seals under the ring's primary.
            if replacement != nil, keyID != nil { onEvent(.sealed(by: sealer.keys.primary, reissue: true)) }
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
}
