/// Checks a callback URL (where to send the user after sign-in) against the service's origin
/// and an allow-list, so that it can never become an open redirect.
///
/// ``validate(_:)`` returns an absolute URL that is safe to redirect to:
/// - a path (`/inbox?x=1`) is joined to the origin: `https://app.example.com/inbox?x=1`;
/// - an absolute `http(s)` URL whose origin (scheme, host without regard to case, port with the
///   default dropped) is the service's or an allowed one is returned with its origin in canonical
///   form;
/// - **anything else yields the service's origin**, never an off-site URL: scheme-relative
///   `//host`, backslashes anywhere, other schemes (`javascript:`, `data:`), `https:host` without
///   `//`, user information (`good@evil`), hosts with a trailing dot or empty label, ports other
///   than the origin's, white space or control characters anywhere (tab, CR, LF), non-ASCII
///   (IDN look-alikes must come as punycode and then match exactly), encoded `/`, `\`, `%` or
///   control characters, malformed escapes, a path starting `//`, and URLs over 2048 bytes.
///
/// The URL is read by a strict parser of its own rather than Foundation's `URL`, and the rule
/// is conservative: a URL it cannot read with certainty is treated as off-site.
///
/// ```swift
/// let callbacks = try CallbackURLValidator(origin: "https://app.example.com")
/// callbacks.validate("/inbox")               // "https://app.example.com/inbox"
/// callbacks.validate("//evil.example/")      // "https://app.example.com"
/// ```
public struct CallbackURLValidator: Sendable {
    /// The service's origin in canonical form, e.g. `https://app.example.com`.
    public let origin: String
    /// The further origins accepted, in canonical form.
    public let allowedOrigins: [String]

    private let base: StrictOrigin
    private let allowed: Set<StrictOrigin>

    /// A validator for a service's origin.
    ///
    /// - Parameters:
    ///   - origin: `http(s)://host[:port]`, optionally with a trailing `/`.
    ///   - allowedOrigins: Further origins in the same form (e.g. a marketing site).
    /// - Throws: ``CookieError/configuration(_:)`` for an origin that is not of that form.
    public init(origin: String, allowedOrigins: [String] = []) throws(CookieError) {
        let base = try Self.parseOrigin(origin)
        var allowed: Set<StrictOrigin> = [base]
        var listed: [String] = []
        for text in allowedOrigins {
            let parsed = try Self.parseOrigin(text)
            if allowed.insert(parsed).inserted { listed.append(parsed.serialized) }
        }
        self.base = base
        self.allowed = allowed
        self.origin = base.serialized
        self.allowedOrigins = listed
    }

    /// The URL to redirect to: `url` made absolute when it is a path or an allowed origin's URL,
    /// else the service's ``origin``.
    public func validate(_ url: String) -> String {
        guard StrictOrigin.isPlausible(url) else { return origin }
        if url.hasPrefix("/") {
            // A path: but `//host` is scheme-relative, another site.
            return url.hasPrefix("//") ? origin : origin + url
        }
        guard let (candidate, rest) = StrictOrigin.split(url), allowed.contains(candidate), !rest.hasPrefix("//")
        else { return origin }
        return candidate.serialized + rest
    }

    /// True when ``validate(_:)`` keeps the URL's destination (it is a path or an allowed
    /// origin's URL) rather than falling back to the origin.
    public func isAllowed(_ url: String) -> Bool {
        guard StrictOrigin.isPlausible(url) else { return false }
        if url.hasPrefix("/") { return !url.hasPrefix("//") }
        guard let (candidate, rest) = StrictOrigin.split(url) else { return false }
        return allowed.contains(candidate) && !rest.hasPrefix("//")
    }

    private static func parseOrigin(_ text: String) throws(CookieError) -> StrictOrigin {
        guard let (origin, rest) = StrictOrigin.split(text), rest.isEmpty || rest == "/" else {
            throw .configuration("an origin must be http(s)://host[:port]")
        }
        return origin
    }
}
