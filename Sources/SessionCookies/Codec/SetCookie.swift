public import struct Foundation.Date
import SessionToken
import SessionTokenInternals

/// One `Set-Cookie` response header (RFC 6265bis §4.1), validated when written.
///
/// ``headerValue()`` refuses what a browser would drop or misread:
/// - a name that is not an RFC 9110 token, a value with characters outside `cookie-octet`
///   (control characters, white space, `"`, `,`, `;`, `\`, non-ASCII: percent-encode it with
///   ``CookieValueCoding``), or name and value together over 4096 bytes;
/// - a `Path` that does not start with `/` or has a control character or `;`; a `Domain` that is
///   not a host name; an attribute value over 1024 bytes; a negative `Max-Age`;
/// - `SameSite=None` without `Secure`, and `Partitioned` without `Secure`;
/// - the prefix rules: a `__Secure-` name needs `Secure`; a `__Host-` name needs `Secure`,
///   `Path=/` and no `Domain` (prefixes are matched without regard to case, as browsers do).
///
/// ```swift
/// var cookie = SetCookie(name: "__Host-theme", value: "dark")
/// cookie.secure = true
/// cookie.path = "/"
/// try cookie.headerValue()  // "__Host-theme=dark; Path=/; Secure"
/// ```
public struct SetCookie: Sendable, Hashable {
    /// The cookie's name.
    public var name: String
    /// The cookie's value, as it goes on the wire.
    public var value: String
    /// `Max-Age` in seconds: 0 deletes the cookie; nil makes a session cookie (unless ``expires``).
    public var maxAge: Int?
    /// `Expires`, written as an IMF-fixdate.
    public var expires: Date?
    /// `Path`.
    public var path: String?
    /// `Domain`; nil keeps the cookie to the exact host that set it (the safer choice).
    public var domain: String?
    /// `Secure`: sent over https only.
    public var secure: Bool
    /// `HttpOnly`: invisible to scripts.
    public var httpOnly: Bool
    /// `SameSite`; nil leaves the attribute out (browsers then treat the cookie as `Lax`).
    public var sameSite: SameSite?
    /// `Partitioned` (CHIPS): kept per top-level site; requires `Secure`.
    public var partitioned: Bool

    /// A cookie with a name, a value and attributes, all optional but the first two.
    public init(
        name: String, value: String, maxAge: Int? = nil, expires: Date? = nil, path: String? = nil,
        domain: String? = nil, secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite? = nil,
        partitioned: Bool = false
    ) {
        self.name = name
        self.value = value
        self.maxAge = maxAge
        self.expires = expires
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
    }

    /// The header's value: `name=value` then the attributes in a fixed order (`Path`,
    /// `Expires`, `Max-Age`, `Domain`, `Secure`, `HttpOnly`, `SameSite`, `Partitioned`).
    ///
    /// - Throws: ``CookieError`` naming the rule the cookie breaks.
    public func headerValue() throws(CookieError) -> String {
        try validate()
        // One allocation: the attributes take well under 160 bytes beside the name, the value,
        // the path and the domain.
        var text = ""
        text.reserveCapacity(name.utf8.count + value.utf8.count + (path?.utf8.count ?? 0) + (domain?.utf8.count ?? 0) + 160)
        text += name
        text += "="
        text += value
        if let path { text += "; Path=\(path)" }
        if let expires { text += "; Expires=\(TimeText.imfFixdate(expires))" }
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if let domain { text += "; Domain=\(domain)" }
        if secure { text += "; Secure" }
        if httpOnly { text += "; HttpOnly" }
        if let sameSite { text += "; SameSite=\(sameSite.rawValue)" }
        if partitioned { text += "; Partitioned" }
        return text
    }

    /// Checks every rule ``headerValue()`` enforces.
    ///
    /// - Throws: ``CookieError`` naming the rule the cookie breaks.
    public func validate() throws(CookieError) {
        guard CookieSyntax.isValidName(name) else { throw .invalidName }
        guard CookieSyntax.isValidValue(value), name.utf8.count + value.utf8.count <= CookieSyntax.maxNameValueBytes
        else { throw .invalidValue(name: name) }
        if let path {
            guard path.first == "/", path.utf8.count <= CookieSyntax.maxAttributeValueBytes,
                path.utf8.allSatisfy(CookieSyntax.isAttributeValueByte)
            else { throw .invalidAttribute(name: name, attribute: "Path") }
        }
        if let domain, !Self.isValidDomain(domain) { throw .invalidAttribute(name: name, attribute: "Domain") }
        if let maxAge, maxAge < 0 { throw .invalidAttribute(name: name, attribute: "Max-Age") }
        if let expires, !expires.timeIntervalSince1970.isFinite {
            throw .invalidAttribute(name: name, attribute: "Expires")
        }
        if sameSite == SameSite.none, !secure { throw .sameSiteNoneRequiresSecure(name: name) }
        if partitioned, !secure { throw .invalidAttribute(name: name, attribute: "Partitioned (requires Secure)") }
        // Browsers match the prefixes without regard to case (RFC 6265bis §4.1.3).
        let lower = name.utf8.count > 9 ? name.prefix(9).lowercased() : name.lowercased()
        if lower.hasPrefix("__secure-"), !secure {
            throw .prefixViolation(name: name, rule: "a __Secure- cookie requires Secure")
        }
        if lower.hasPrefix("__host-") {
            guard secure else { throw .prefixViolation(name: name, rule: "a __Host- cookie requires Secure") }
            guard path == "/" else { throw .prefixViolation(name: name, rule: "a __Host- cookie requires Path=/") }
            guard domain == nil else { throw .prefixViolation(name: name, rule: "a __Host- cookie must not set Domain") }
        }
    }

    /// A host name of LDH labels (1 to 63 characters, no hyphen at either end), one optional
    /// leading dot (which browsers ignore), at most 253 characters, ASCII only (IDNs in
    /// punycode).
    static func isValidDomain(_ domain: String) -> Bool {
        var text = Substring(domain)
        if text.first == "." { text = text.dropFirst() }
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                label.utf8.allSatisfy({
                    (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0)
                        || $0 == UInt8(ascii: "-")
                })
            else { return false }
        }
        return true
    }
}
