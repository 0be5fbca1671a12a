/// The cookies a service sets, with their names, categories, lifetimes and attributes.
///
/// The presets mirror the product's cookie policy:
///
/// | cookie | name (next-auth v4, https) | lifetime | category | attributes |
/// |---|---|---|---|---|
/// | session | `__Secure-next-auth.session-token` | 30 days | essential | `HttpOnly; Secure; SameSite=Lax; Path=/` |
/// | CSRF | `__Host-next-auth.csrf-token` | session | essential | `HttpOnly; Secure; SameSite=Lax; Path=/` |
/// | callback URL | `__Secure-next-auth.callback-url` | session | essential | `HttpOnly; Secure; SameSite=Lax; Path=/` |
/// | consent | `conneqt-cookie-consent` | 1 year | essential | `Secure; SameSite=Lax; Path=/` (readable by the banner script) |
///
/// Over http (`secure: false`, development only) the names lose their prefixes and the cookies
/// `Secure`, as next-auth does.
public struct CookiePolicy: Sendable, Hashable {
    /// 30 days in seconds: the session cookie's lifetime.
    public static let sessionLifetime = 2_592_000
    /// 365 days in seconds: the consent record's lifetime.
    public static let consentLifetime = 31_536_000
    /// The consent cookie's name in the product's policy.
    public static let consentCookieName = "conneqt-cookie-consent"

    /// The session token cookie (chunked when long).
    public let session: CookieDefinition
    /// The CSRF double-submit cookie.
    public let csrf: CookieDefinition
    /// The callback-URL cookie.
    public let callbackURL: CookieDefinition
    /// The consent record cookie.
    public let consent: CookieDefinition
    /// Further cookies of the service (e.g. analytics), written only with consent when not essential.
    public let others: [CookieDefinition]
    /// The longest value of one session cookie before the token is split into chunks.
    public let sessionChunkSize: Int

    /// A policy of your own.
    ///
    /// - Throws: ``CookieError`` when two cookies share a name, a definition breaks a rule of
    ///   ``SetCookie`` (prefixes, `SameSite=None` without `Secure`...), the session, CSRF or consent
    ///   cookie is not essential, or `sessionChunkSize` is outside 1...4000.
    public init(
        session: CookieDefinition, csrf: CookieDefinition, callbackURL: CookieDefinition,
        consent: CookieDefinition, others: [CookieDefinition] = [], sessionChunkSize: Int = 3933
    ) throws(CookieError) {
        let all = [session, csrf, callbackURL, consent] + others
        guard Set(all.map(\.name)).count == all.count else { throw .configuration("two cookies share a name") }
        for definition in all {
            try definition.expiringSetCookie().validate()
        }
        for definition in [session, csrf, consent] where definition.category != .essential {
            throw .configuration("cookie \(definition.name) must be essential")
        }
        guard (1...4000).contains(sessionChunkSize) else { throw .configuration("session chunk size must be 1...4000") }
        self.session = session
        self.csrf = csrf
        self.callbackURL = callbackURL
        self.consent = consent
        self.others = others
        self.sessionChunkSize = sessionChunkSize
    }

    /// next-auth v4's names: `next-auth.session-token`, `next-auth.csrf-token`,
    /// `next-auth.callback-url`, with `__Secure-` / `__Host-` (CSRF) over https, chunks of 3933
    /// characters, and the product's `conneqt-cookie-consent`.
    ///
    /// - Parameter secure: True when the site is served over https (the default).
    public static func nextAuthV4(secure: Bool = true) -> CookiePolicy {
        preset(stem: "next-auth", secure: secure, chunkSize: 3933)
    }

    /// Auth.js v5's names: `authjs.session-token`, `authjs.csrf-token`, `authjs.callback-url`,
    /// with the same prefixes, chunks of 3936 characters, and `conneqt-cookie-consent`.
    ///
    /// - Parameter secure: True when the site is served over https (the default).
    public static func authJSV5(secure: Bool = true) -> CookiePolicy {
        preset(stem: "authjs", secure: secure, chunkSize: 3936)
    }

    /// The product's policy for the library's own tokens: ``native(secure:)`` over https.
    public static let `default` = native(secure: true)

    /// The product's cookie names (next-auth v4's, which its cookie policy lists) for the
    /// library's own tokens: as ``nextAuthV4(secure:)``, but over https the session cookie is
    /// `__Host-next-auth.session-token`, which only this host can set (no sibling subdomain can
    /// plant or shadow it). next-auth's own cookie keeps next-auth's name: use
    /// ``nextAuthV4(secure:)`` or ``authJSV5(secure:)`` when the front end writes the token.
    ///
    /// - Parameter secure: True when the site is served over https (the default).
    public static func native(secure: Bool = true) -> CookiePolicy {
        preset(stem: "next-auth", secure: secure, chunkSize: 3933, hostOnlySession: true)
    }

    /// This policy with further cookies.
    ///
    /// - Throws: As ``init(session:csrf:callbackURL:consent:others:sessionChunkSize:)``.
    public func adding(_ definitions: [CookieDefinition]) throws(CookieError) -> CookiePolicy {
        try CookiePolicy(
            session: session, csrf: csrf, callbackURL: callbackURL, consent: consent, others: others + definitions,
            sessionChunkSize: sessionChunkSize)
    }

    /// Every cookie of the policy: session, CSRF, callback URL, consent, then the others.
    public var definitions: [CookieDefinition] { [session, csrf, callbackURL, consent] + others }

    /// The definition with this name, if any.
    public func definition(named name: String) -> CookieDefinition? {
        definitions.first { $0.name == name }
    }

    private static func preset(stem: String, secure: Bool, chunkSize: Int, hostOnlySession: Bool = false) -> CookiePolicy {
        let securePrefix = secure ? "__Secure-" : ""
        let hostPrefix = secure ? "__Host-" : ""
        let session = CookieDefinition(
            name: "\(hostOnlySession ? hostPrefix : securePrefix)\(stem).session-token", category: .essential, maxAge: sessionLifetime, secure: secure)
        let csrf = CookieDefinition(name: "\(hostPrefix)\(stem).csrf-token", category: .essential, secure: secure)
        let callback = CookieDefinition(name: "\(securePrefix)\(stem).callback-url", category: .essential, secure: secure)
        // Not HttpOnly: the consent banner's script reads it; it holds no secret.
        let consent = CookieDefinition(
            name: consentCookieName, category: .essential, maxAge: consentLifetime, secure: secure, httpOnly: false)
        // The presets satisfy every rule the initialiser checks; the fallback is never taken but
        // keeps the code free of forced tries.
        return (try? CookiePolicy(
            session: session, csrf: csrf, callbackURL: callback, consent: consent, sessionChunkSize: chunkSize))
            ?? CookiePolicy(unchecked: session, csrf, callback, consent, chunkSize)
    }

    private init(
        unchecked session: CookieDefinition, _ csrf: CookieDefinition, _ callbackURL: CookieDefinition,
        _ consent: CookieDefinition, _ chunkSize: Int
    ) {
        self.session = session
        self.csrf = csrf
        self.callbackURL = callbackURL
        self.consent = consent
        self.others = []
        self.sessionChunkSize = chunkSize
    }
}
