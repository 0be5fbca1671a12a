/// Why a `Cookie` header or a `Set-Cookie` line could not be read or written: the cookie
/// layer's error (tokens and keys fail with `SessionTokenError`).
///
/// No case carries a cookie's value: values may be session tokens or CSRF secrets. Names and
/// attribute names are safe to show and appear in ``description``.
public enum CookieError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `Cookie` header longer than the limit in bytes (``CookieLimits/maxHeaderBytes``).
    case headerTooLarge(limit: Int)
    /// A `Cookie` header with more cookies than the limit (``CookieLimits/maxCookies``).
    case tooManyCookies(limit: Int)
    /// A `Cookie` header containing a control character other than a tab (CR, LF, NUL...).
    case malformedHeader
    /// A cookie name that is empty, too long, or has a character outside RFC 6265 `token`.
    case invalidName
    /// A cookie value with a character outside RFC 6265 `cookie-octet`, or name and value
    /// together over 4096 bytes; percent-encode it first (``CookieValueCoding``).
    case invalidValue(name: String)
    /// An attribute value that cannot be written (the attribute's name says which).
    case invalidAttribute(name: String, attribute: String)
    /// `SameSite=None` without `Secure`, which browsers reject.
    case sameSiteNoneRequiresSecure(name: String)
    /// A `__Secure-` or `__Host-` name whose attributes break the prefix's rules.
    case prefixViolation(name: String, rule: String)
    /// A non-essential cookie that the consent record does not grant.
    case consentRequired(name: String, category: CookieCategory)
    /// A session token that needs more chunks than a browser keeps.
    case tooManyChunks(name: String, limit: Int)
    /// A setting of the cookie layer is unusable; the message says which, never a secret.
    case configuration(String)

    /// One line for logs and the command-line tool; never contains a cookie value.
    public var description: String {
        switch self {
        case .headerTooLarge(let limit): return "cookie header over \(limit) bytes"
        case .tooManyCookies(let limit): return "cookie header with more than \(limit) cookies"
        case .malformedHeader: return "cookie header contains a control character"
        case .invalidName: return "invalid cookie name"
        case .invalidValue(let name): return "invalid value for cookie \(name)"
        case .invalidAttribute(let name, let attribute): return "invalid \(attribute) for cookie \(name)"
        case .sameSiteNoneRequiresSecure(let name): return "cookie \(name): SameSite=None requires Secure"
        case .prefixViolation(let name, let rule): return "cookie \(name): \(rule)"
        case .consentRequired(let name, let category):
            return "cookie \(name) is \(category.rawValue) and the consent record does not grant it"
        case .tooManyChunks(let name, let limit): return "cookie \(name) would need more than \(limit) chunks"
        case .configuration(let message): return "configuration error: \(message)"
        }
    }
}
