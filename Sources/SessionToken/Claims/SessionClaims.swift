public import struct Foundation.Date

/// The registered claims (RFC 7519 §4.1, and `sid` and `auth_time` of OpenID Connect) of an
/// opened token. Custom claims are read through `Codable` with ``SessionSealer/open(_:decoding:at:)``.
///
/// Laid out for the hot path: the claims every session token carries (`sub`, `iat`, `exp`,
/// `auth_time` and a `sid` of up to 24 bytes) are stored in the value, which copies without a
/// retain when `sub` is short (Swift keeps strings of up to 15 bytes inline); the rest (`nbf`,
/// `iss`, `aud`, `jti`, a longer `sid`) sit in copy-on-write storage made only when one is
/// present. So opening a token of this library's default form allocates nothing for its claims.
public struct SessionClaims: Sendable, Equatable {
    /// `sub`: the user ID. Tokens sealed by this library always carry it.
    public var subject: String?
    /// `exp`: when the token stops being accepted. Every session token has one.
    public var expiresAt: Date
    /// `iat`: when the token was sealed.
    public var issuedAt: Date?
    /// `auth_time`: when the user signed in. Set at sign-in and carried unchanged through every
    /// re-issue: what "sign out everywhere" and the absolute session limit count from.
    public var authenticatedAt: Date?
    /// The claims most tokens lack; nil while all of them are absent.
    private var extras: Extras?
    /// `sid` when it fits inline; absent when there is none or it is in `extras`.
    package private(set) var shortSessionID: InlineText
    /// `dbsc` is 1: the token is a device-bound session's short-lived cookie
    /// (`SessionTokenDeviceBound`), whose device key its ticket holds. Such a token is never
    /// re-issued by opening it; only a refresh signed by the device's key replaces it. (Not RFC
    /// 7800's `cnf` with the key's thumbprint: that is 58 bytes more in every request's cookie,
    /// 8 % on a request, and nothing reads it: the refresh takes the key from the ticket.)
    public internal(set) var isDeviceBound: Bool = false

    /// `sid`: the session's ID (128 random bits, base64url, in tokens sealed here). Set at
    /// sign-in and carried unchanged through every re-issue: what "sign out this device" revokes.
    public var sessionID: String? {
        get { shortSessionID.isAbsent ? extras?.longSessionID : shortSessionID.string }
        set {
            let short = newValue.flatMap(InlineText.init) ?? .none
            shortSessionID = short
            // A longer one is kept in the storage (and a stale one there dropped); the storage
            // is not touched, nor copied, when it holds no long one to drop.
            let long = short.isAbsent ? newValue : nil
            if long != nil || extras?.longSessionID != nil {
                updateExtras(present: long != nil) { $0.longSessionID = long }
            }
        }
    }
    /// `nbf`: before this time the token is not accepted.
    public var notBefore: Date? {
        get { extras?.notBefore }
        set { updateExtras(present: newValue != nil) { $0.notBefore = newValue } }
    }
    /// `jti`: a unique token ID. Tokens sealed here carry none (their session's ``sessionID``
    /// identifies them); next-auth's and other writers' tokens may.
    public var tokenID: String? {
        get { extras?.tokenID }
        set { updateExtras(present: newValue != nil) { $0.tokenID = newValue } }
    }
    /// `iss`: who issued the token.
    public var issuer: String? {
        get { extras?.issuer }
        set { updateExtras(present: newValue != nil) { $0.issuer = newValue } }
    }
    /// `aud`: the intended audiences; empty when the claim is absent. A single string is read
    /// as a one-element list.
    public var audience: [String] {
        get { extras?.audience ?? [] }
        set { updateExtras(present: !newValue.isEmpty) { $0.audience = newValue } }
    }

    /// When the session began: `auth_time`, or `iat` for a token without it (a next-auth front
    /// end's, or another writer's), which then is all the token can show.
    public var sessionStart: Date? { authenticatedAt ?? issuedAt }

    /// Claims are equal when every claim is; `sid` is compared as text, however it is stored.
    public static func == (lhs: SessionClaims, rhs: SessionClaims) -> Bool {
        lhs.subject == rhs.subject && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt
            && lhs.notBefore == rhs.notBefore && lhs.tokenID == rhs.tokenID && lhs.issuer == rhs.issuer
            && lhs.authenticatedAt == rhs.authenticatedAt && lhs.audience == rhs.audience
            && lhs.sessionID == rhs.sessionID && lhs.isDeviceBound == rhs.isDeviceBound
    }

    /// The claim names this library reads and writes itself; custom claims may not use them.
    public static let registeredNames: Set<String> = [
        "sub", "iat", "exp", "nbf", "jti", "iss", "aud", "auth_time", "sid", "dbsc",
    ]

    /// Changes the storage, copied first when another value shares it. Without storage, setting
    /// a claim makes it and clearing one (`present` false) has nothing to do.
    private mutating func updateExtras(present: Bool, _ change: (Extras) -> Void) {
        if extras == nil {
            guard present else { return }
            extras = Extras(notBefore: nil, longSessionID: nil, tokenID: nil, issuer: nil, audience: [])
        } else if !isKnownUniquelyReferenced(&extras) {
            extras = extras?.copy()
        }
        if let extras { change(extras) }
    }

    /// The claims most tokens lack. Written only through `updateExtras`, that is only while one
    /// value holds the object, which is what makes sharing it between threads safe.
    private final class Extras: @unchecked Sendable {
        var notBefore: Date?
        var longSessionID: String?
        var tokenID: String?
        var issuer: String?
        var audience: [String]

        init(notBefore: Date?, longSessionID: String?, tokenID: String?, issuer: String?, audience: [String]) {
            self.notBefore = notBefore
            self.longSessionID = longSessionID
            self.tokenID = tokenID
            self.issuer = issuer
            self.audience = audience
        }

        /// The storage for these claims, or nil when all of them are absent, so that nothing is
        /// allocated for them.
        @inline(__always)
        static func ifAny(
            notBefore: Date?, longSessionID: String?, tokenID: String?, issuer: String?, audience: [String]
        ) -> Extras? {
            guard notBefore != nil || longSessionID != nil || tokenID != nil || issuer != nil || !audience.isEmpty
            else { return nil }
            return Extras(
                notBefore: notBefore, longSessionID: longSessionID, tokenID: tokenID, issuer: issuer,
                audience: audience)
        }

        func copy() -> Extras {
            Extras(
                notBefore: notBefore, longSessionID: longSessionID, tokenID: tokenID, issuer: issuer,
                audience: audience)
        }
    }
}

// The initializers sit in an extension so that the struct keeps its memberwise initializer,
// which builds the value in one step: an initializer that assigns the fields one by one,
// inlined into the claims reader, left a copy and a destroy of the whole value per open.
extension SessionClaims {
    /// Creates a set of registered claims: for sealing's own account of what it sealed, and
    /// tests. Verified claims come only out of verification, so this is not public.
    package init(
        subject: String?, issuedAt: Date?, expiresAt: Date, notBefore: Date? = nil, tokenID: String? = nil,
        issuer: String? = nil, audience: [String] = [], authenticatedAt: Date? = nil, sessionID: String? = nil,
        isDeviceBound: Bool = false
    ) {
        let short = sessionID.flatMap(InlineText.init) ?? .none
        self.init(
            subject: subject, expiresAt: expiresAt, issuedAt: issuedAt, authenticatedAt: authenticatedAt,
            extras: Extras.ifAny(
                notBefore: notBefore, longSessionID: short.isAbsent ? sessionID : nil, tokenID: tokenID,
                issuer: issuer, audience: audience),
            shortSessionID: short, isDeviceBound: isDeviceBound)
    }

    /// The fast reader's form: the session ID as read (at most ``InlineText/capacity`` bytes),
    /// and `aud` a single string if any. Decides on the storage itself rather than through
    /// `Extras.ifAny`: an empty `[String]` made only to be tested costs a release per open.
    @inline(__always)
    static func read(
        subject: String, issuedAt: Date, expiresAt: Date, sessionID: InlineText, authenticatedAt: Date,
        issuer: String?, audience: String?, isDeviceBound: Bool = false
    ) -> SessionClaims {
        let extras =
            issuer == nil && audience == nil
            ? nil
            : Extras(
                notBefore: nil, longSessionID: nil, tokenID: nil, issuer: issuer, audience: audience.map { [$0] } ?? [])
        return SessionClaims(
            subject: subject, expiresAt: expiresAt, issuedAt: issuedAt, authenticatedAt: authenticatedAt,
            extras: extras, shortSessionID: sessionID, isDeviceBound: isDeviceBound)
    }
}
