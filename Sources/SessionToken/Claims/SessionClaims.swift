import struct Foundation.Date

/// The registered claims (RFC 7519 §4.1) of an opened token. Custom claims are read through
/// `Codable` with ``SessionSealer/open(_:decoding:at:)``.
///
/// Laid out for the hot path: the claims every session token carries (`sub`, `iat`, `exp` and
/// a `jti` of up to 24 bytes) are stored in the value, which copies without a retain when `sub`
/// is short (Swift keeps strings of up to 15 bytes inline); the rest (`nbf`, `iss`, `aud`,
/// `auth_time`, a longer `jti`) sit in copy-on-write storage made only when one is present. So
/// opening a token of this library's default form allocates nothing for its claims.
public struct SessionClaims: Sendable, Equatable {
    /// `sub`: the user ID. Tokens sealed by this library always carry it.
    public var subject: String?
    /// `exp`: when the token stops being accepted. Every session token has one.
    public var expiresAt: Date
    /// `iat`: when the token was sealed.
    public var issuedAt: Date?
    /// The claims most tokens lack; nil while all of them are absent.
    private var extras: Extras?
    /// `jti` when it fits inline; absent when there is none or it is in `extras`.
    private(set) var shortTokenID: InlineText

    /// `nbf`: before this time the token is not accepted.
    public var notBefore: Date? {
        get { extras?.notBefore }
        set { updateExtras(present: newValue != nil) { $0.notBefore = newValue } }
    }
    /// `jti`: a unique token ID (128 random bits, base64url, in tokens sealed here).
    public var tokenID: String? {
        get { shortTokenID.isAbsent ? extras?.longTokenID : shortTokenID.string }
        set {
            let short = newValue.flatMap(InlineText.init) ?? .none
            shortTokenID = short
            // A longer one is kept in the storage (and a stale one there dropped); the storage
            // is not touched, nor copied, when it holds no long one to drop.
            let long = short.isAbsent ? newValue : nil
            if long != nil || extras?.longTokenID != nil {
                updateExtras(present: long != nil) { $0.longTokenID = long }
            }
        }
    }
    /// `iss`: who issued the token.
    public var issuer: String? {
        get { extras?.issuer }
        set { updateExtras(present: newValue != nil) { $0.issuer = newValue } }
    }
    /// `auth_time`: when the user first signed in; carried unchanged through re-issues and
    /// counted from by the absolute session limit. Written only when that limit is configured.
    public var authenticatedAt: Date? {
        get { extras?.authenticatedAt }
        set { updateExtras(present: newValue != nil) { $0.authenticatedAt = newValue } }
    }
    /// `aud`: the intended audiences; empty when the claim is absent. A single string is read
    /// as a one-element list.
    public var audience: [String] {
        get { extras?.audience ?? [] }
        set { updateExtras(present: !newValue.isEmpty) { $0.audience = newValue } }
    }

    /// Claims are equal when every claim is; `jti` is compared as text, however it is stored.
    public static func == (lhs: SessionClaims, rhs: SessionClaims) -> Bool {
        lhs.subject == rhs.subject && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt
            && lhs.notBefore == rhs.notBefore && lhs.tokenID == rhs.tokenID && lhs.issuer == rhs.issuer
            && lhs.authenticatedAt == rhs.authenticatedAt && lhs.audience == rhs.audience
    }

    /// The claim names this library reads and writes itself; custom claims may not use them.
    public static let registeredNames: Set<String> = ["sub", "iat", "exp", "nbf", "jti", "iss", "aud", "auth_time"]

    /// Changes the storage, copied first when another value shares it. Without storage, setting
    /// a claim makes it and clearing one (`present` false) has nothing to do.
    private mutating func updateExtras(present: Bool, _ change: (Extras) -> Void) {
        if extras == nil {
            guard present else { return }
            extras = Extras(notBefore: nil, longTokenID: nil, issuer: nil, audience: [], authenticatedAt: nil)
        } else if !isKnownUniquelyReferenced(&extras) {
            extras = extras?.copy()
        }
        if let extras { change(extras) }
    }

    /// The claims most tokens lack. Written only through `updateExtras`, that is only while one
    /// value holds the object, which is what makes sharing it between threads safe.
    private final class Extras: @unchecked Sendable {
        var notBefore: Date?
        var longTokenID: String?
        var issuer: String?
        var audience: [String]
        var authenticatedAt: Date?

        init(notBefore: Date?, longTokenID: String?, issuer: String?, audience: [String], authenticatedAt: Date?) {
            self.notBefore = notBefore
            self.longTokenID = longTokenID
            self.issuer = issuer
            self.audience = audience
            self.authenticatedAt = authenticatedAt
        }

        /// The storage for these claims, or nil when all of them are absent, so that nothing is
        /// allocated for them.
        @inline(__always)
        static func ifAny(
            notBefore: Date?, longTokenID: String?, issuer: String?, audience: [String], authenticatedAt: Date?
        ) -> Extras? {
            guard notBefore != nil || longTokenID != nil || issuer != nil || !audience.isEmpty
                || authenticatedAt != nil
            else { return nil }
            return Extras(
                notBefore: notBefore, longTokenID: longTokenID, issuer: issuer, audience: audience,
                authenticatedAt: authenticatedAt)
        }

        func copy() -> Extras {
            Extras(
                notBefore: notBefore, longTokenID: longTokenID, issuer: issuer, audience: audience,
                authenticatedAt: authenticatedAt)
        }
    }
}

// The initializers sit in an extension so that the struct keeps its memberwise initializer,
// which builds the value in one step: an initializer that assigns the fields one by one,
// inlined into the claims reader, left a copy and a destroy of the whole value per open.
extension SessionClaims {
    /// Creates a set of registered claims.
    public init(
        subject: String?, issuedAt: Date?, expiresAt: Date, notBefore: Date? = nil, tokenID: String? = nil,
        issuer: String? = nil, audience: [String] = [], authenticatedAt: Date? = nil
    ) {
        let short = tokenID.flatMap(InlineText.init) ?? .none
        self.init(
            subject: subject, expiresAt: expiresAt, issuedAt: issuedAt,
            extras: Extras.ifAny(
                notBefore: notBefore, longTokenID: short.isAbsent ? tokenID : nil, issuer: issuer,
                audience: audience, authenticatedAt: authenticatedAt),
            shortTokenID: short)
    }

    /// The fast reader's form: the token ID as read (at most ``InlineText/capacity`` bytes),
    /// and `aud` a single string if any. Decides on the storage itself rather than through
    /// `Extras.ifAny`: an empty `[String]` made only to be tested costs a release per open.
    @inline(__always)
    static func read(
        subject: String, issuedAt: Date, expiresAt: Date, tokenID: InlineText, issuer: String?,
        audience: String?, authenticatedAt: Date?
    ) -> SessionClaims {
        let extras =
            issuer == nil && audience == nil && authenticatedAt == nil
            ? nil
            : Extras(
                notBefore: nil, longTokenID: nil, issuer: issuer, audience: audience.map { [$0] } ?? [],
                authenticatedAt: authenticatedAt)
        return SessionClaims(
            subject: subject, expiresAt: expiresAt, issuedAt: issuedAt, extras: extras, shortTokenID: tokenID)
    }
}
