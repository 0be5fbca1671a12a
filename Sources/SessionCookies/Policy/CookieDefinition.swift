public import struct Foundation.Date

/// One cookie of a ``CookiePolicy``: its name, category, lifetime and attributes.
public struct CookieDefinition: Sendable, Hashable {
    /// The cookie's name, prefix included (e.g. `__Host-next-auth.csrf-token`).
    public var name: String
    /// The category, which decides whether writing it needs consent.
    public var category: CookieCategory
    /// Seconds the browser keeps the cookie (`Max-Age`, and `Expires` = now + this); nil for a
    /// session cookie, dropped when the browser closes.
    public var maxAge: Int?
    /// `Path`; `/` by default.
    public var path: String
    /// `Domain`; nil (the default) keeps the cookie to the host that set it.
    public var domain: String?
    /// `Secure`.
    public var secure: Bool
    /// `HttpOnly`.
    public var httpOnly: Bool
    /// `SameSite`.
    public var sameSite: SameSite

    /// A definition; every attribute but the name and category has a safe default
    /// (session lifetime, `Path=/`, no `Domain`, `Secure`, `HttpOnly`, `SameSite=Lax`).
    public init(
        name: String, category: CookieCategory, maxAge: Int? = nil, path: String = "/", domain: String? = nil,
        secure: Bool = true, httpOnly: Bool = true, sameSite: SameSite = .lax
    ) {
        self.name = name
        self.category = category
        self.maxAge = maxAge
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// The `Set-Cookie` that stores `value` (already cookie-safe) under this definition's name,
    /// or under `name` (for chunks), at `now`.
    public func setCookie(value: String, name: String? = nil, at now: Date = Date()) -> SetCookie {
        SetCookie(
            name: name ?? self.name, value: value, maxAge: maxAge,
            expires: maxAge.map { now.addingTimeInterval(Double($0)) }, path: path, domain: domain,
            secure: secure, httpOnly: httpOnly, sameSite: sameSite)
    }

    /// The `Set-Cookie` that deletes the cookie (empty value, `Max-Age=0`, the same `Path`,
    /// `Domain` and flags, so that the browser matches the cookie it holds), under this
    /// definition's name or under `name` (for chunks).
    public func expiringSetCookie(name: String? = nil) -> SetCookie {
        SetCookie(
            name: name ?? self.name, value: "", maxAge: 0, path: path, domain: domain, secure: secure,
            httpOnly: httpOnly, sameSite: sameSite)
    }

    /// This definition with `Max-Age` no longer than `lifetime` seconds (at least 1), so that a
    /// browser never keeps a cookie whose token has expired; unchanged for a session cookie
    /// (no `Max-Age`) or an infinite lifetime.
    package func cappingMaxAge(toLifetime lifetime: Double) -> CookieDefinition {
        guard let maxAge, lifetime.isFinite else { return self }
        var capped = self
        capped.maxAge = min(maxAge, max(1, Int(lifetime.rounded(.down))))
        return capped
    }
}
