import Foundation
import Synchronization
public import SessionCookies
public import SessionToken
import SessionTokenRevocation

/// One request's session: what its cookies carried, and what the response must set.
///
/// A middleware makes it with ``SessionConfiguration/open(cookieHeader:at:)`` before the handler
/// and appends ``responseSetCookies()`` to the response after it. The handler reads ``session``
/// and calls ``signIn(subject:)`` or ``signOut()``. It is a value that shares its state, so a copy
/// kept in a framework's request context sees what the handler did.
///
/// What the response sets:
/// - after ``signIn(subject:)``: the new session cookie (in chunks when long), and expiring lines
///   for the request's chunks it does not reuse;
/// - after ``signOut()``: expiring lines for the session cookie and every chunk the request carried;
/// - otherwise, when opening said the token is due for re-issue (its key is no longer the primary,
///   or it is older than the sealer's `updateAge`): the replacement; else no session cookie at all;
/// - the CSRF cookie when ``csrfToken()`` had to make a new token.
public struct RequestSession: Sendable {
    /// What the handler changed; guarded by `Storage.state`'s lock.
    private struct State {
        var session: OpenedSession?
        var replacement: String?
        var sessionLines: [String]?
        var csrfLine: String?
        var csrfToken: String?
        /// Set by a sign-in: offer it a device binding. Set by signing out a device-bound
        /// session: tell the browser to end it.
        var signedIn = false
        var endedDeviceBound = false
    }

    private final class Storage: Sendable {
        let configuration: SessionConfiguration
        let sealer: SessionSealer
        let cookies: RequestCookies
        /// For a `Cookie` header over the limits: its CSRF cookie and session chunks, scanned
        /// for by name (``cookies`` is then empty).
        let scanned: RequestCookies?
        let now: Date
        /// The cookies sign-out and the CSRF check read: the request's, or for a header over the
        /// limits, what the scan found.
        var cookiesToSignOut: RequestCookies { scanned ?? cookies }
        // `Mutex` rather than `NSLock`: it lives inside this object, so a request allocates one
        // object, not three.
        let state: Mutex<State>

        init(configuration: SessionConfiguration, sealer: SessionSealer, cookies: RequestCookies,
            scanned: RequestCookies?, now: Date, session: OpenedSession?, replacement: String?)
        {
            self.configuration = configuration
            self.sealer = sealer
            self.cookies = cookies
            self.scanned = scanned
            self.now = now
            self.state = Mutex(State(session: session, replacement: replacement))
        }
    }

    private let storage: Storage?

    /// No request read yet: what a request context holds before the session middleware runs.
    /// Reading gives a signed-out session; signing in or out throws.
    public init() {
        self.storage = nil
    }

    init(configuration: SessionConfiguration, sealer: SessionSealer, cookies: RequestCookies,
        scanned: RequestCookies?, now: Date, session: OpenedSession?, replacement: String?)
    {
        self.storage = Storage(
            configuration: configuration, sealer: sealer, cookies: cookies, scanned: scanned, now: now,
            session: session, replacement: replacement)
    }

    /// The verified session: the request's, or the one ``signIn(subject:)`` made; nil when signed out.
    public var session: OpenedSession? {
        guard let storage else { return nil }
        return storage.state.withLock { $0.session }
    }

    /// The signed-in user's ID; nil when signed out.
    public var subject: String? { storage?.state.withLock { $0.session?.subject } ?? nil }

    /// The configured CSRF check, if any: its form field and header names.
    public var csrf: CSRFProtection? { storage?.configuration.csrf }

    /// The request's cookies (empty when its `Cookie` header was over the limits or did not parse).
    public var cookies: RequestCookies { storage?.cookies ?? .empty }

    /// Signs `subject` in: a new session (a new `sid`, `auth_time` now), and the response
    /// carries its cookie.
    ///
    /// - Throws: `SessionTokenError` from sealing, or
    ///   `SessionTokenError.configuration(_:)` when no session middleware ran.
    public func signIn(subject: String) throws(SessionTokenError) {
        try signIn(subject: subject, custom: EmptyClaims())
    }

    /// Signs `subject` in with custom claims (for next-auth's format, the claims are next-auth's
    /// own: pass its `NextAuthClaims` or a type with `name`, `email`, ...).
    ///
    /// - Throws: `SessionTokenError` from sealing (claims too large for the token
    ///   or cookie limit), or `SessionTokenError.configuration(_:)` when no session
    ///   middleware ran.
    public func signIn(subject: String, custom: some Encodable & Sendable) throws(SessionTokenError) {
        let storage = try attached()
        let configuration = storage.configuration
        let (token, session) = try configuration.formatImplementation.seal(
            subject: subject, custom: custom, sealer: storage.sealer, at: storage.now)
        if session.verified != nil { configuration.onEvent?(.sealed(by: storage.sealer.keys.primary, reissue: false)) }
        let lines = try storeLines(token, storage: storage)
        storage.state.withLock {
            $0.session = session
            $0.sessionLines = lines
            $0.signedIn = true
        }
    }

    /// Signs out: the response expires the session cookie and every chunk of it the request
    /// carried (for a `Cookie` header over the limits, every chunk found in it by name).
    ///
    /// - Throws: `SessionTokenError.configuration(_:)` when no session middleware ran.
    public func signOut() throws(SessionTokenError) {
        let storage = try attached()
        let policy = storage.configuration.policy
        var lines = (try? CookieChunks.expiringLines(
            template: policy.session.expiringSetCookie(), request: storage.cookiesToSignOut)) ?? []
        let bound = storage.state.withLock { $0.session?.isDeviceBound ?? false }
        if bound, let binding = storage.configuration.deviceBinding {
            lines += binding.implementation.signOutLines(policy: policy)
        }
        storage.state.withLock {
            $0.session = nil
            $0.sessionLines = lines
            $0.signedIn = false
            $0.endedDeviceBound = $0.endedDeviceBound || bound
        }
        if bound { storage.configuration.deviceBinding?.implementation.observeSignOut() }
    }

    /// What a revoking sign-out takes back.
    public enum RevocationScope: Sendable {
        /// This session (its `sid`), whatever tokens it has been re-issued as: "sign out this
        /// device". A next-auth front end's token carries no `sid`, and anything narrower than
        /// the user could be escaped by re-issue, so such a session is signed out everywhere.
        case thisSession
        /// Every session of the user that began until now: "sign out everywhere".
        case everywhere
    }

    /// Signs out and revokes, through the configuration's ``SessionConfiguration/revocations``:
    /// the revocation is written to the store and in force on this node before the cookies are
    /// expired, so a copy of the cookie is refused from then on (on other nodes once their
    /// store notifies them). A request that is not signed in just has its cookies expired.
    ///
    /// - Throws: `RevocationStoreError` when the store did not take the revocation
    ///   (the session stays signed in, so the user can retry), or
    ///   `SessionTokenError.configuration(_:)` when no session middleware ran or no
    ///   revocation service is configured.
    public func signOut(revoking scope: RevocationScope) async throws {
        let storage = try attached()
        guard let revocations = storage.configuration.revocations else {
            throw SessionTokenError.configuration("no revocation service is configured")
        }
        let session = storage.state.withLock { $0.session }
        if let session {
            switch scope {
            case .thisSession:
                if let sessionID = session.sessionID {
                    try await revocations.revokeSession(sessionID)
                } else {
                    // No session identity: a `jti` would be replaced by the next re-issue, so
                    // the session is taken back with its user's others.
                    try await revocations.revokeUser(session.subject, before: storage.now)
                }
            case .everywhere:
                try await revocations.revokeUser(session.subject, before: storage.now)
            }
        }
        try signOut()
    }

    /// The CSRF token to embed in this response's forms (the configured form field) or give to
    /// scripts (the configured header). It is the request's CSRF cookie's token when that one is
    /// valid for the current session; otherwise a new one, and the response sets the cookie.
    ///
    /// - Throws: `SessionTokenError.configuration(_:)` when no session middleware
    ///   ran or no CSRF protection is configured.
    public func csrfToken() throws(SessionTokenError) -> String {
        let storage = try attached()
        guard let csrf = storage.configuration.csrf else { throw .configuration("no CSRF protection is configured") }
        let policy = storage.configuration.policy
        let cookieValue = storage.cookiesToSignOut[policy.csrf.name]
        return try storage.state.withLock { state throws(SessionTokenError) in
            if let token = state.csrfToken { return token }
            let binding = state.session?.csrfBinding ?? ""
            if state.sessionLines == nil,
                let token = csrf.scheme.reusableToken(cookieValue: cookieValue, binding: binding)
            {
                state.csrfToken = token
                return token
            }
            let made = csrf.scheme.makeToken(binding: binding)
            do throws(CookieError) {
                state.csrfLine = try CookieWriter(policy: policy, consent: .essentialOnly)
                    .setCookie(policy.csrf, value: made.cookieValue, at: storage.now)
            } catch {
                throw .configuration("the CSRF cookie cannot be written: \(error)")
            }
            state.csrfToken = made.token
            return made.token
        }
    }

    /// True when the request's CSRF cookie is valid for the request's session and equals
    /// `submitted`; false also when no CSRF protection is configured or no middleware ran.
    public func verifyCSRF(submitted: String?) -> Bool {
        guard let storage, let csrf = storage.configuration.csrf else { return false }
        let binding = storage.state.withLock { $0.session?.csrfBinding }
        return csrf.scheme.verify(
            cookieValue: storage.cookiesToSignOut[storage.configuration.policy.csrf.name], submitted: submitted,
            binding: binding ?? "")
    }

    /// The CSRF check a framework's middleware runs: true for a safe method; for an unsafe one,
    /// when the token the request submits (``CSRFProtection/submittedToken(header:isURLEncodedForm:body:)``)
    /// matches a valid CSRF cookie. False when no CSRF protection is configured. The content
    /// type is looked at only for an unsafe method without the header: a `GET` costs nothing.
    package func passesCSRFCheck(
        method: String, header: (String) -> String?, isURLEncodedForm: @autoclosure () -> Bool,
        body: () async -> String?
    ) async -> Bool {
        guard CSRFProtection.requiresCheck(method: method) else { return true }
        guard let csrf else { return false }
        let submitted = await csrf.submittedToken(header: header, isURLEncodedForm: isURLEncodedForm(), body: body)
        return verifyCSRF(submitted: submitted)
    }

    /// The `Cache-Control` a response must carry when it sets any of these cookies: a shared
    /// cache must never store one visitor's session or CSRF cookie and hand it to another.
    public static let cacheControl = "private, no-store"

    /// What a response's `Cache-Control` must become when it carries ``responseSetCookies()``:
    /// nil to leave `existing` (it already says `no-store`), else ``cacheControl``.
    public static func cacheControl(replacing existing: String?) -> String? {
        if let existing, existing.lowercased().split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == "no-store"
        }) {
            return nil
        }
        return cacheControl
    }

    /// What a response's `Vary` must become when it carries ``responseSetCookies()``: nil to
    /// leave `existing` (it names `Cookie` or is `*`), else `existing` with `Cookie` added.
    public static func vary(adding existing: String?) -> String? {
        guard let existing, !existing.trimmingCharacters(in: .whitespaces).isEmpty else { return "Cookie" }
        let fields = existing.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if fields.contains("cookie") || fields.contains("*") { return nil }
        return existing + ", Cookie"
    }

    /// Header fields the response must carry beside its cookies, for device-bound sessions:
    /// after ``signIn(subject:)``, the offer to bind the new session to the device
    /// (`Secure-Session-Registration`); after ``signOut()`` of a device-bound session,
    /// `Clear-Site-Data: "cookies"`. (Chromium 156 does not end the session on that field: it
    /// clears the cookies, and its next request refreshes without a ticket, which the service
    /// ends; after a sign-out's redirect that is at once.) Empty otherwise, and always without a
    /// ``SessionConfiguration/deviceBinding``.
    public func responseHeaders() -> [(name: String, value: String)] {
        guard let storage, let binding = storage.configuration.deviceBinding else { return [] }
        let (signedIn, ended, session) = storage.state.withLock { ($0.signedIn, $0.endedDeviceBound, $0.session) }
        if ended { return [("Clear-Site-Data", "\"cookies\"")] }
        guard signedIn, storage.configuration.deviceBindingIsUsable, let verified = session?.verified,
            let offer = binding.implementation.registrationOffer(for: verified, sealer: storage.sealer, at: storage.now)
        else { return [] }
        return [offer]
    }

    /// The `Set-Cookie` values the response must carry, as the type's overview lists them.
    public func responseSetCookies() -> [String] {
        guard let storage else { return [] }
        let (lines, replacement, csrfLine) = storage.state.withLock { ($0.sessionLines, $0.replacement, $0.csrfLine) }
        var all = lines ?? []
        if lines == nil, let replacement, let stored = try? storeLines(replacement, storage: storage) {
            all = stored
        }
        if let csrfLine { all.append(csrfLine) }
        return all
    }

    private func attached() throws(SessionTokenError) -> Storage {
        guard let storage else { throw .configuration("no session middleware ran for this request") }
        return storage
    }

    /// The lines that store `token` in the session cookie, whose `Max-Age` never outlives the
    /// token.
    private func storeLines(_ token: String, storage: Storage) throws(SessionTokenError) -> [String] {
        let configuration = storage.configuration
        let definition = configuration.policy.session.cappingMaxAge(
            toLifetime: configuration.formatImplementation.lifetime(sealer: storage.sealer))
        do throws(CookieError) {
            return try CookieChunks.setCookieLines(
                for: token, template: definition.setCookie(value: "", at: storage.now),
                chunkSize: configuration.policy.sessionChunkSize, request: storage.cookies)
        } catch {
            throw .unsealable("the token does not fit the session cookie: \(error)")
        }
    }
}
