/// Why a cookie exists, in the terms of the ePrivacy Directive and GDPR: only ``essential``
/// (strictly necessary) cookies may be set without consent.
public enum CookieCategory: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Strictly necessary for the service (session, CSRF, callback URL, the consent record
    /// itself): never needs consent.
    case essential
    /// Preferences the user chose (e.g. a layout); needs consent.
    case functional
    /// Measurement of use; needs consent.
    case analytics
    /// Advertising and cross-site profiling; needs consent.
    case marketing

    /// The declaration order: essential, functional, analytics, marketing.
    public static func < (lhs: CookieCategory, rhs: CookieCategory) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
