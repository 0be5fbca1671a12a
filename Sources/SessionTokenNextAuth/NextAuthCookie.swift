import struct Foundation.Date
import SessionToken

/// The session cookie as next-auth splits it: one cookie `NAME` for a short token, chunks
/// `NAME.0`, `NAME.1`, ... for a long one, since a browser keeps at most 4096 bytes a cookie.
///
/// Reading joins the chunks of a `Cookie` header in numeric order; writing splits a token and
/// also expires the chunks the browser holds that the new token no longer uses.
public struct NextAuthCookie: Sendable, Hashable {
    /// Most chunks read or written: 64 chunks of 3933 characters are far beyond what any
    /// browser or proxy accepts in one request.
    public static let maxChunks = 64

    /// The cookie name, e.g. `__Secure-authjs.session-token`.
    public let name: String
    /// The longest value one cookie carries: 3933 (v4) or 3936 (v5) characters.
    public let chunkSize: Int

    /// A cookie with a name and chunk size of your own.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` when the name is not 1 to 256 cookie
    ///   name characters (RFC 6265 token characters) or `chunkSize` is below 1.
    public init(name: String, chunkSize: Int) throws(SessionTokenError) {
        guard Self.isValidName(name) else { throw .configuration("cookie name must be 1 to 256 cookie-name characters") }
        guard chunkSize >= 1 else { throw .configuration("chunk size must be at least 1") }
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
    /// - Throws: ``SessionTokenError/configuration(_:)`` for an unusable v5 cookie name.
    public init(format: NextAuthFormat, secure: Bool) throws(SessionTokenError) {
        try self.init(name: format.sessionCookieName(secure: secure), chunkSize: format.chunkSize)
    }

    // MARK: - Reading

    /// The session token carried by a `Cookie` request header: the value of `NAME`, or the
    /// values of `NAME.0`, `NAME.1`, ... joined in numeric order.
    ///
    /// Returns nil (treat the request as signed out) when there is no such cookie, and also
    /// when the header is ambiguous or out of bounds: both `NAME` and chunks, a name twice, a
    /// gap in the chunk numbers, more than ``maxChunks`` chunks, a joined token longer than
    /// `maxLength`, or a header over 64 KiB. Other cookies are ignored.
    ///
    /// - Parameters:
    ///   - cookieHeader: The request's `Cookie` header (several headers joined with `; `).
    ///   - maxLength: The longest joined token returned; use the codec's ``NextAuthCodec/maxTokenLength``.
    public func token(fromCookieHeader cookieHeader: String, maxLength: Int = NextAuthCodec.defaultMaxTokenLength)
        -> String?
    {
        guard let pairs = CookieHeader.pairs(cookieHeader) else { return nil }
        var whole: Substring?
        var chunks: [Int: Substring] = [:]
        var total = 0
        for pair in pairs {
            guard let index = chunkIndex(of: pair.name) else { continue }
            total += pair.value.utf8.count
            guard total <= maxLength else { return nil }
            if index < 0 {
                guard whole == nil else { return nil }
                whole = pair.value
            } else {
                guard chunks.updateValue(pair.value, forKey: index) == nil else { return nil }
            }
        }
        if let whole {
            return chunks.isEmpty && !whole.isEmpty ? String(whole) : nil
        }
        guard !chunks.isEmpty else { return nil }
        var token = ""
        token.reserveCapacity(total)
        for index in 0..<chunks.count {
            guard let chunk = chunks[index], !chunk.isEmpty else { return nil }
            token += chunk
        }
        return token
    }

    /// -1 for `NAME`, n for `NAME.n` (n without leading zeros, below ``maxChunks``), nil for
    /// any other cookie.
    func chunkIndex(of cookieName: Substring) -> Int? {
        guard cookieName.hasPrefix(name) else { return nil }
        let rest = cookieName.dropFirst(name.count)
        if rest.isEmpty { return -1 }
        guard rest.first == ".", rest.count >= 2, rest.count <= 3 else { return nil }
        let digits = rest.dropFirst()
        guard digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), digits == "0" || digits.first != "0",
            let index = Int(digits), index < Self.maxChunks
        else { return nil }
        return index
    }

    // MARK: - Writing

    /// The cookies that carry `token`: one `(name, value)` when it fits in ``chunkSize``, else
    /// `NAME.0`, `NAME.1`, ... of at most ``chunkSize`` characters each. Empty when the token
    /// would need more than ``maxChunks`` chunks.
    public func chunks(of token: String) -> [(name: String, value: String)] {
        let bytes = Array(token.utf8)
        guard bytes.count > chunkSize else { return [(name, token)] }
        let count = (bytes.count + chunkSize - 1) / chunkSize
        guard count <= Self.maxChunks else { return [] }
        return (0..<count).map { index in
            let start = index * chunkSize
            let end = min(start + chunkSize, bytes.count)
            return ("\(name).\(index)", String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    /// The `Set-Cookie` header values that store `token`, as next-auth writes them: first one
    /// expiring every session cookie the request carried that the new token does not use,
    /// then one per chunk. Every cookie is `Path=/; HttpOnly; SameSite=Lax`, plus `Secure`
    /// over https; the chunks carry `Expires`.
    ///
    /// - Parameters:
    ///   - token: The token from ``NextAuthCodec/encode(_:at:)``.
    ///   - expires: When the browser drops the cookies: the token's `exp`.
    ///   - secure: True over https: adds `Secure` (always added to `__Secure-` and `__Host-` names).
    ///   - requestCookieHeader: The request's `Cookie` header, to find chunks to expire.
    /// - Returns: The header values, empty when the token needs more than ``maxChunks`` chunks.
    public func setCookieHeaders(for token: String, expires: Date, secure: Bool, requestCookieHeader: String?)
        -> [String]
    {
        let chunks = chunks(of: token)
        guard !chunks.isEmpty else { return [] }
        let kept = Set(chunks.map(\.name))
        let attributes = "; Path=/; Expires=\(IMFFixdate.format(expires))" + flags(secure: secure)
        return expiringHeaders(requestCookieHeader, keeping: kept, secure: secure)
            + chunks.map { "\($0.name)=\($0.value)\(attributes)" }
    }

    /// The `Set-Cookie` header values that remove the session cookie and every chunk of it the
    /// request carried: signing out. When the request carried none, one for `NAME`.
    ///
    /// - Parameters:
    ///   - secure: True over https.
    ///   - requestCookieHeader: The request's `Cookie` header.
    public func expiringSetCookieHeaders(secure: Bool, requestCookieHeader: String?) -> [String] {
        let headers = expiringHeaders(requestCookieHeader, keeping: [], secure: secure)
        return headers.isEmpty ? ["\(name)=; Max-Age=0; Path=/" + flags(secure: secure)] : headers
    }

    private func expiringHeaders(_ requestCookieHeader: String?, keeping kept: Set<String>, secure: Bool) -> [String] {
        guard let requestCookieHeader, let pairs = CookieHeader.pairs(requestCookieHeader) else { return [] }
        var seen: Set<Substring> = []
        var headers: [String] = []
        for pair in pairs where chunkIndex(of: pair.name) != nil && !kept.contains(String(pair.name)) {
            guard seen.insert(pair.name).inserted else { continue }
            headers.append("\(pair.name)=; Max-Age=0; Path=/" + flags(secure: secure))
        }
        return headers
    }

    private func flags(secure: Bool) -> String {
        let isSecure = secure || name.hasPrefix("__Secure-") || name.hasPrefix("__Host-")
        return "; HttpOnly" + (isSecure ? "; Secure" : "") + "; SameSite=Lax"
    }

    /// RFC 6265 cookie-name: 1 to 256 visible ASCII characters other than separators.
    static func isValidName(_ name: String) -> Bool {
        let separators = Set("()<>@,;:\\\"/[]?={} \t".utf8)
        return (1...256).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !separators.contains($0) }
    }
}
