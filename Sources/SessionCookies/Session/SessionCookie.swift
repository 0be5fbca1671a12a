public import struct Foundation.Date
public import SessionToken

/// The session cookie: seals a session with a `SessionSealer` into one cookie,
/// or into next-auth-compatible chunks `NAME.0`, `NAME.1`, ... when the token is longer than
/// the policy's chunk size, and reads it back.
///
/// - Writing emits, first, an expiring `Set-Cookie` for every chunk the request carried that
///   the new token does not use (so no stale chunk is joined to the new ones), then one per chunk.
/// - Reading joins the chunks (by the number after the last dot, no gaps, not both `NAME` and
///   chunks, no name sent twice) and opens the token with
///   `SessionSealer.refresh(_:at:)`, so a rolling session gets its replacement.
/// - Signing out expires every chunk the request carried.
public struct SessionCookie: Sendable {
    /// The sealer that seals and opens the tokens.
    public let sealer: SessionSealer
    /// The cookie's definition (name, lifetime, attributes).
    public let definition: CookieDefinition
    /// The longest value of one cookie before chunking.
    public let chunkSize: Int

    /// The session cookie of a policy. The cookie's `Max-Age` is the policy's (30 days by
    /// default) or the sealer's token lifetime, whichever is shorter, so that the browser never
    /// keeps a cookie whose token has expired.
    public init(sealer: SessionSealer, policy: CookiePolicy = .default) {
        self.sealer = sealer
        self.definition = policy.session.cappingMaxAge(toLifetime: sealer.lifetime)
        self.chunkSize = policy.sessionChunkSize
    }

    /// Seals a new session for `subject` (sign-in) and returns the `Set-Cookie` values.
    ///
    /// - Parameters:
    ///   - subject: The user ID.
    ///   - request: The request's cookies, to expire stale chunks.
    ///   - now: The current time; inject it in tests.
    /// - Throws: `SessionTokenError` from sealing, or ``CookieError``.
    public func signIn(subject: String, request: RequestCookies = .empty, at now: Date = Date()) throws -> [String] {
        let token = try sealer.seal(subject: subject, at: now).token
        return try setCookieHeaders(for: token, request: request, at: now)
    }

    /// The `Set-Cookie` values that store `token` (e.g. a `RefreshedSession.replacement`):
    /// expiring lines for the request's chunks the token does not reuse, then the chunks.
    ///
    /// - Throws: ``CookieError/tooManyChunks(name:limit:)`` for a token over 64 chunks;
    ///   ``CookieError/invalidValue(name:)`` for a token that is not cookie-safe.
    public func setCookieHeaders(for token: String, request: RequestCookies = .empty, at now: Date = Date())
        throws(CookieError) -> [String]
    {
        try CookieChunks.setCookieLines(
            for: token, template: definition.setCookie(value: "", at: now), chunkSize: chunkSize, request: request)
    }

    /// The token the request carries, joined from its chunks; nil when there is none.
    ///
    /// - Throws: `SessionTokenError.invalid` when the chunks are ambiguous, have
    ///   a gap, or join to more than the sealer's `maxTokenLength`.
    public func token(in request: RequestCookies) throws(SessionTokenError) -> String? {
        try Self.token(in: request, name: definition.name, maxLength: sealer.maxTokenLength)
    }

    package static func token(in request: RequestCookies, name: String, maxLength: Int) throws(SessionTokenError)
        -> String?
    {
        switch CookieChunks.join(request, name: name, maxLength: maxLength) {
        case .absent: return nil
        case .malformed: throw .invalid
        case .value(let token): return token
        }
    }

    /// Opens the session the request carries, and seals its replacement when re-issue is due.
    /// When `RefreshedSession.replacement` is set, send
    /// ``setCookieHeaders(for:request:at:)`` for it.
    ///
    /// - Returns: nil when the request carries no session cookie (signed out).
    /// - Throws: `SessionTokenError` when it carries one that does not open:
    ///   answer with ``signOut(request:)`` to clear it.
    public func read(_ request: RequestCookies, at now: Date = Date()) throws(SessionTokenError) -> RefreshedSession? {
        try Self.read(request, name: definition.name, sealer: sealer, at: now)
    }

    /// ``read(_:at:)`` for the cookie `name`, without making a ``SessionCookie``: a middleware
    /// reads once a request and writes rarely, so it need not cap a definition it will not use.
    package static func read(_ request: RequestCookies, name: String, sealer: SessionSealer, at now: Date)
        throws(SessionTokenError) -> RefreshedSession?
    {
        guard let token = try token(in: request, name: name, maxLength: sealer.maxTokenLength) else { return nil }
        return try sealer.refresh(token, at: now)
    }

    /// The `Set-Cookie` values that delete the session cookie and every chunk of it the request
    /// carried; one for `NAME` when it carried none.
    public func signOut(request: RequestCookies) -> [String] {
        // The policy validated the definition when it was made, so the lines always write.
        (try? CookieChunks.expiringLines(template: definition.expiringSetCookie(), request: request)) ?? []
    }
}
