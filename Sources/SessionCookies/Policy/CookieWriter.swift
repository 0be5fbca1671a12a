public import struct Foundation.Date

/// Writes `Set-Cookie` headers under a ``CookiePolicy`` and a ``ConsentRecord``: it refuses a
/// non-essential cookie that the record does not grant (opt-in), and percent-encodes every
/// value as next-auth does (``CookieValueCoding``).
///
/// ```swift
/// let writer = CookieWriter(policy: .default, request: cookies)   // consent read from the request
/// let line = try writer.setCookie(policy.callbackURL, value: "https://app.example.com/inbox")
/// ```
public struct CookieWriter: Sendable {
    /// The policy.
    public let policy: CookiePolicy
    /// The consent that gates non-essential cookies.
    public let consent: ConsentRecord

    /// A writer with an explicit consent record.
    public init(policy: CookiePolicy, consent: ConsentRecord) {
        self.policy = policy
        self.consent = consent
    }

    /// A writer whose consent is the record in the request's consent cookie (essential-only
    /// when absent or malformed).
    public init(policy: CookiePolicy, request: RequestCookies) {
        self.init(policy: policy, consent: ConsentRecord(cookieValue: request[policy.consent.name]))
    }

    /// The `Set-Cookie` value storing `value` (percent-encoded) in `definition`'s cookie.
    ///
    /// - Throws: ``CookieError/consentRequired(name:category:)`` for a non-essential cookie the
    ///   consent does not grant; any ``SetCookie`` rule the definition breaks.
    public func setCookie(_ definition: CookieDefinition, value: String, at now: Date = Date()) throws(CookieError)
        -> String
    {
        guard consent.grants(definition.category) else {
            throw .consentRequired(name: definition.name, category: definition.category)
        }
        return try definition.setCookie(value: CookieValueCoding.encode(value), at: now).headerValue()
    }

    /// The `Set-Cookie` value deleting `definition`'s cookie. Allowed whatever the consent: a
    /// withdrawn consent must be able to remove what it once allowed.
    ///
    /// - Throws: Any ``SetCookie`` rule the definition breaks.
    public func expiringSetCookie(_ definition: CookieDefinition) throws(CookieError) -> String {
        try definition.expiringSetCookie().headerValue()
    }

    /// The consent cookie storing `record` (essential, one year).
    public func consentSetCookie(_ record: ConsentRecord, at now: Date = Date()) throws(CookieError) -> String {
        try setCookie(policy.consent, value: record.cookieValue, at: now)
    }

    /// The `Set-Cookie` values that delete every non-essential cookie of the policy the request
    /// carries but the consent no longer grants: send them when the user withdraws consent.
    public func withdrawnSetCookies(request: RequestCookies) -> [String] {
        policy.others.filter { !consent.grants($0.category) && request[$0.name] != nil }
            .compactMap { try? $0.expiringSetCookie().headerValue() }
    }
}
