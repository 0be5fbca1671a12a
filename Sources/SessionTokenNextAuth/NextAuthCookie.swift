public import struct Foundation.Date
public import SessionCookies
public import SessionToken

/// The session cookie as next-auth splits it: one cookie `NAME` for a short token, chunks
/// `NAME.0`, `NAME.1`, ... for a long one, since a browser keeps at most 4096 bytes a cookie.
///
/// Reading joins the chunks of a request's cookies in numeric order; writing splits a token and
/// also expires the chunks the browser holds that the new token no longer uses. Both go through
/// the cookie layer (`RequestCookies`, `SetCookie`), so parsing follows its rules (a name sent
/// twice is ambiguous and reads as absent) and no header can be written that carries a `;`, CR,
/// LF or anything else outside cookie-octets.
public struct NextAuthCookie: Sendable, Hashable {
    /// Most chunks read or written: 64 chunks of 3933 characters are far beyond what any
    /// browser or proxy accepts in one request.
    public static let maxChunks = CookieChunks.maxChunks

    /// The cookie name, e.g. `__Secure-authjs.session-token`.
    public let name: String
    /// The longest value one cookie carries: 3933 (v4) or 3936 (v5) characters.
    public let chunkSize: Int

    /// A cookie with a name and chunk size of your own.
    ///
    /// - Throws: `SessionTokenError.configuration(_:)` when the name is not an RFC 6265
    ///   cookie name (token characters, at most 4096 bytes) or `chunkSize` is outside 1...4000.
    public init(name: String, chunkSize: Int) throws(SessionTokenError) {
        guard CookieSyntax.isValidName(name) else { throw .configuration("cookie name must be RFC 6265 token characters") }
        guard (1...4000).contains(chunkSize) else { throw .configuration("chunk size must be 1 to 4000") }
        self.name = name
        self.chunkSize = chunkSize
    }

    /// next-auth's session cookie for a format: its default name over http or https and its
    /// chunk size.
    ///
    /// - Parameters:
    ///   - format: The token format. For ``NextAuthFormat/v5(cookieName:)`` the name is the one
    ///     the format derives its key from.
    ///   - secure: True when the site is served over https (`__Secure-` names).
    /// - Throws: `SessionTokenError.configuration(_:)` for an unusable v5 cookie name.
    public init(format: NextAuthFormat, secure: Bool) throws(SessionTokenError) {
        try self.init(name: format.sessionCookieName(secure: secure), chunkSize: format.chunkSize)
    }

    // MARK: - Reading

    /// The session token the request's cookies carry: the value of `NAME`, or the values of
    /// `NAME.0`, `NAME.1`, ... joined in numeric order.
    ///
    /// Returns nil (treat the request as signed out) when there is no such cookie, and also
    /// when the cookies are ambiguous or out of bounds: both `NAME` and chunks, a name twice, a
    /// gap in the chunk numbers, more than ``maxChunks`` chunks, or a joined token longer than
    /// `maxLength`. Other cookies are ignored.
    ///
    /// - Parameters:
    ///   - cookies: The request's cookies.
    ///   - maxLength: The longest joined token returned; use the codec's ``NextAuthCodec/maxTokenLength``.
    public func token(in cookies: RequestCookies, maxLength: Int = NextAuthCodec.defaultMaxTokenLength) -> String? {
        guard case .value(let token) = CookieChunks.join(cookies, name: name, maxLength: maxLength) else { return nil }
        return token
    }

    /// The session token a `Cookie` request header carries, as ``token(in:maxLength:)``; nil
    /// also for a header the cookie layer refuses (over 32 KiB or 180 cookies, or holding a
    /// control character).
    ///
    /// - Parameters:
    ///   - cookieHeader: The request's `Cookie` header (several headers joined with `; `).
    ///   - maxLength: The longest joined token returned.
    public func token(fromCookieHeader cookieHeader: String, maxLength: Int = NextAuthCodec.defaultMaxTokenLength)
        -> String?
    {
        // Read where it lies in the header: the chunks are copied once, into the joined token.
        guard case .value(let token)? = CookieChunks.join(
            header: cookieHeader, name: name, limits: .default, maxLength: maxLength)
        else { return nil }
        return token
    }

    // MARK: - Writing

    /// The cookies that carry `token`: one `(name, value)` when it fits in ``chunkSize``, else
    /// `NAME.0`, `NAME.1`, ... of at most ``chunkSize`` characters each. Empty when the token
    /// would need more than ``maxChunks`` chunks.
    public func chunks(of token: String) -> [(name: String, value: String)] {
        CookieChunks.split(token, name: name, chunkSize: chunkSize) ?? []
    }

    /// The `Set-Cookie` header values that store `token`, as next-auth writes them: first one
    /// expiring every session cookie the request carried that the new token does not use,
    /// then one per chunk. Every cookie is `Path=/; HttpOnly; SameSite=Lax`, plus `Secure`
    /// over https (always for `__Secure-` and `__Host-` names); the chunks carry `Expires`.
    ///
    /// - Parameters:
    ///   - token: The token from ``NextAuthCodec/encode(_:at:)``.
    ///   - expires: When the browser drops the cookies: the token's `exp`.
    ///   - secure: True over https.
    ///   - request: The request's cookies, to find chunks to expire.
    /// - Throws: `CookieError.tooManyChunks` for a token over ``maxChunks`` chunks;
    ///   `CookieError.invalidValue` for a token with a byte outside cookie-octets (`;`, white
    ///   space, CR, LF, non-ASCII...), which is never written.
    public func setCookieHeaders(
        for token: String, expires: Date, secure: Bool, request: RequestCookies = .empty
    ) throws(CookieError) -> [String] {
        var template = template(secure: secure)
        template.expires = expires
        return try CookieChunks.setCookieLines(for: token, template: template, chunkSize: chunkSize, request: request)
    }

    /// The `Set-Cookie` header values that remove the session cookie and every chunk of it the
    /// request carried: signing out. When the request carried none, one for `NAME`.
    ///
    /// - Parameters:
    ///   - secure: True over https.
    ///   - request: The request's cookies.
    public func expiringSetCookieHeaders(secure: Bool, request: RequestCookies = .empty) -> [String] {
        // The name was validated when this value was made and the attributes are fixed, so
        // the lines always write.
        (try? CookieChunks.expiringLines(template: template(secure: secure), request: request)) ?? []
    }

    /// next-auth's attributes: `Path=/; HttpOnly; SameSite=Lax`, `Secure` over https or for a
    /// prefixed name.
    private func template(secure: Bool) -> SetCookie {
        let lower = name.lowercased()
        let isSecure = secure || lower.hasPrefix("__secure-") || lower.hasPrefix("__host-")
        return SetCookie(name: name, value: "", path: "/", secure: isSecure, httpOnly: true, sameSite: .lax)
    }
}
