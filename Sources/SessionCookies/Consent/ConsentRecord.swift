/// The user's cookie choices, stored in the consent cookie.
///
/// **Format** (version 1): `v1`, then `.` and the name of each granted category other than
/// essential, in the order functional, analytics, marketing. Only `[a-z0-9.]`, so it needs no
/// encoding in a cookie:
///
/// | value | grants |
/// |---|---|
/// | `v1` | essential cookies only (the user declined everything else) |
/// | `v1.analytics` | essential and analytics |
/// | `v1.functional.analytics.marketing` | everything |
///
/// Reading is strict: an unknown version, an unknown or repeated category, `essential` listed,
/// empty parts, upper case, or more than 64 characters make the value malformed, and a malformed
/// or missing value grants nothing but essential cookies. Categories in another order are
/// accepted; ``cookieValue`` always writes the canonical order. Kept for one year
/// (``CookiePolicy/consentLifetime``), after which the banner asks again.
public struct ConsentRecord: Sendable, Hashable {
    /// The version this library writes and the only one it reads.
    public static let version = 1
    /// Longest value read.
    public static let maxLength = 64

    /// The granted categories other than essential (which needs no grant).
    public let granted: Set<CookieCategory>

    /// No consent: essential cookies only.
    public static let essentialOnly = ConsentRecord(granting: [])

    /// A record granting these categories (essential is always allowed and never stored).
    public init(granting categories: Set<CookieCategory>) {
        granted = categories.subtracting([.essential])
    }

    /// The record a consent cookie holds; essential-only when the value is missing or malformed.
    ///
    /// - Parameter cookieValue: The cookie's value as sent (``RequestCookies`` subscript).
    public init(cookieValue: String?) {
        self = cookieValue.flatMap(Self.parse) ?? .essentialOnly
    }

    /// The record a consent cookie holds, or nil when the value is malformed or of another version.
    public static func parse(_ value: String) -> ConsentRecord? {
        guard value.utf8.count <= maxLength else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.first == "v\(version)" else { return nil }
        var granted: Set<CookieCategory> = []
        for part in parts.dropFirst() {
            guard let category = CookieCategory(rawValue: String(part)), category != .essential,
                granted.insert(category).inserted
            else { return nil }
        }
        return ConsentRecord(granting: granted)
    }

    /// True when a cookie of this category may be written: always for essential, otherwise
    /// only when granted.
    public func grants(_ category: CookieCategory) -> Bool {
        category == .essential || granted.contains(category)
    }

    /// The cookie value in the canonical form, e.g. `v1.functional.analytics`.
    public var cookieValue: String {
        (["v\(Self.version)"] + granted.sorted().map(\.rawValue)).joined(separator: ".")
    }
}
