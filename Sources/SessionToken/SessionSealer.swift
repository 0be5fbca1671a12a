public import struct Foundation.TimeInterval
package import SessionTokenInternals

/// Seals and opens the tokens of one purpose (``TokenPurpose``; sessions by default) with a
/// key ring.
///
/// A token is a JWE in compact serialization, `dir` + `XC20P` (XChaCha20-Poly1305), whose
/// payload is the JSON claims: the user ID (`sub`), `iat`, `exp`, the session's ID (`sid`) and
/// sign-in time (`auth_time`), and any custom claims. Each ring key seals through its key for
/// the sealer's ``purpose``, so a token opens only as the purpose it was sealed for. See the
/// README's "Token format" section for the byte-level description.
///
/// A `SessionSealer` is an immutable `Sendable` value: create one at start-up and share it.
///
/// ```swift
/// let sealer = try SessionSealer(keys: KeyRing(spec: keySpec))
/// let token = try sealer.seal(subject: "user-42").token
/// let session = try sealer.open(token)   // session.subject == "user-42"
/// ```
public struct SessionSealer: Sendable {
    /// Thirty days, in seconds: the default token lifetime.
    public static let defaultLifetime: TimeInterval = 2_592_000
    /// One cookie's worth: the default longest token accepted, in bytes.
    public static let defaultMaxTokenLength = 4096
    /// The largest `maxTokenLength` a sealer accepts.
    public static let maxTokenLengthLimit = 65_536

    /// Every setting behind one reference. A request copies its sealer several times (out of
    /// the provider's snapshot, into the request's storage, into each format call), and a copy
    /// of the dozen references two key rings hold was a dozen retains and as many releases:
    /// about a fifth of a request session in perf. Now a copy is one.
    final class Settings: Sendable {
        let keys: KeyRing
        let purpose: TokenPurpose
        let purposeKeys: KeyRing
        let lifetime: TimeInterval
        let leeway: TimeInterval
        let maxTokenLength: Int
        let issuer: String?
        let audience: String?
        let updateAge: TimeInterval
        let absoluteLifetime: TimeInterval?

        init(
            keys: KeyRing, purpose: TokenPurpose, purposeKeys: KeyRing, lifetime: TimeInterval, leeway: TimeInterval,
            maxTokenLength: Int, issuer: String?, audience: String?, updateAge: TimeInterval,
            absoluteLifetime: TimeInterval?
        ) {
            self.keys = keys
            self.purpose = purpose
            self.purposeKeys = purposeKeys
            self.lifetime = lifetime
            self.leeway = leeway
            self.maxTokenLength = maxTokenLength
            self.issuer = issuer
            self.audience = audience
            self.updateAge = updateAge
            self.absoluteLifetime = absoluteLifetime
        }
    }

    let settings: Settings

    /// The keys: the primary seals, all open (each through its key for ``purpose``).
    public var keys: KeyRing { settings.keys }
    /// What this sealer's tokens are for; they open only as that.
    public var purpose: TokenPurpose { settings.purpose }
    /// ``keys`` with every key replaced by its key for ``purpose``: what sealing and opening use.
    var purposeKeys: KeyRing { settings.purposeKeys }
    /// How long a sealed token lives, in seconds.
    public var lifetime: TimeInterval { settings.lifetime }
    /// How many seconds of clock difference the time checks tolerate.
    public var leeway: TimeInterval { settings.leeway }
    /// Tokens longer than this many bytes are refused before any decoding, and sealing refuses
    /// to produce them.
    public var maxTokenLength: Int { settings.maxTokenLength }
    /// When set, sealing writes it as `iss` and opening requires `iss` to equal it.
    public var issuer: String? { settings.issuer }
    /// When set, sealing writes it as `aud` and opening requires `aud` to be or contain it.
    public var audience: String? { settings.audience }
    /// A token older than this many seconds (by its `iat`) is due for re-issue
    /// (``VerifiedSession/needsReissue``); 24 hours by default, as next-auth does.
    public var updateAge: TimeInterval { settings.updateAge }
    /// When set, a session ends this many seconds after the first sign-in (`auth_time`), however
    /// often it is re-issued: a re-issued token's `exp` never passes the limit, and opening
    /// refuses a token past it as expired. 90 days by default (``defaultAbsoluteLifetime``).
    public var absoluteLifetime: TimeInterval? { settings.absoluteLifetime }

    /// One day: the default ``updateAge``.
    public static let defaultUpdateAge: TimeInterval = 86_400

    /// Ninety days: the default ``absoluteLifetime``, OWASP's absolute session timeout chosen for
    /// a 30-day rolling session. A session used every day is re-issued every day and would live
    /// for ever; the limit makes its user sign in again after three token lifetimes, and it
    /// bounds how long a stolen cookie can be kept alive by re-issue to the same. Pass nil to
    /// remove the limit, or a shorter time for a more sensitive service.
    public static let defaultAbsoluteLifetime: TimeInterval = 7_776_000

    /// Bounds on the claims JSON: nesting depth and member count.
    package var claimsLimits: JSONLimits { Self.claimsLimits }
    private static let claimsLimits = JSONLimits(maxDepth: 16, maxMembers: 256)

    /// Creates a sealer.
    ///
    /// - Parameters:
    ///   - keys: The key ring.
    ///   - lifetime: Seconds from sealing to `exp`; 30 days by default. Positive, at most 10 years.
    ///   - leeway: Seconds of clock skew tolerated by the time checks; 0 by default, at most 1 day.
    ///   - maxTokenLength: Longest token in bytes; 4096 by default, at most 65,536.
    ///   - issuer: The `iss` to write and require, if any.
    ///   - audience: The `aud` to write and require, if any.
    ///   - updateAge: Age in seconds after which a token is due for re-issue; 24 hours by default.
    ///   - absoluteLifetime: Seconds from the first sign-in after which the session ends; 90 days
    ///     by default, nil for no limit. It must be positive; at least `lifetime` is not required.
    ///   - purpose: What the tokens are for; ``TokenPurpose/session`` by default.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for a value out of range.
    public init(
        keys: KeyRing,
        purpose: TokenPurpose = .session,
        lifetime: TimeInterval = SessionSealer.defaultLifetime,
        leeway: TimeInterval = 0,
        maxTokenLength: Int = SessionSealer.defaultMaxTokenLength,
        issuer: String? = nil,
        audience: String? = nil,
        updateAge: TimeInterval = SessionSealer.defaultUpdateAge,
        absoluteLifetime: TimeInterval? = SessionSealer.defaultAbsoluteLifetime
    ) throws(SessionTokenError) {
        guard updateAge.isFinite, updateAge >= 0 else {
            throw .configuration("updateAge must be a finite number of seconds, 0 or more")
        }
        if let absoluteLifetime {
            guard absoluteLifetime.isFinite, absoluteLifetime > 0, absoluteLifetime <= 315_360_000 else {
                throw .configuration("absoluteLifetime must be more than 0 and at most 10 years")
            }
        }
        guard lifetime.isFinite, lifetime > 0, lifetime <= 315_360_000 else {
            throw .configuration("lifetime must be more than 0 and at most 10 years")
        }
        guard leeway.isFinite, leeway >= 0, leeway <= 86_400 else {
            throw .configuration("leeway must be from 0 to 86400 seconds")
        }
        guard (128...Self.maxTokenLengthLimit).contains(maxTokenLength) else {
            throw .configuration("maxTokenLength must be from 128 to \(Self.maxTokenLengthLimit)")
        }
        if let issuer, issuer.isEmpty { throw .configuration("issuer must not be empty") }
        if let audience, audience.isEmpty { throw .configuration("audience must not be empty") }
        settings = Settings(
            keys: keys, purpose: purpose, purposeKeys: try keys.derived(for: purpose), lifetime: lifetime,
            leeway: leeway, maxTokenLength: maxTokenLength, issuer: issuer, audience: audience, updateAge: updateAge,
            absoluteLifetime: absoluteLifetime)
    }

    /// The longest a token sealed now can still be accepted: ``lifetime`` plus ``leeway``. A key
    /// may be retired this long after it stopped sealing.
    public var maxTokenAge: TimeInterval { lifetime + leeway }

    /// The same settings with another key ring: what a hot reload swaps in.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` only where the ring's keys could not
    ///   have been made (an A256GCM key on a CPU without AES instructions).
    public func with(keys: KeyRing) throws(SessionTokenError) -> SessionSealer {
        try with(keys: keys, purpose: purpose)
    }

    /// The same settings and ring for tokens of another purpose.
    public func with(purpose: TokenPurpose) throws(SessionTokenError) -> SessionSealer {
        try with(keys: keys, purpose: purpose)
    }

    private func with(keys: KeyRing, purpose: TokenPurpose) throws(SessionTokenError) -> SessionSealer {
        try SessionSealer(
            keys: keys, purpose: purpose, lifetime: lifetime, leeway: leeway, maxTokenLength: maxTokenLength,
            issuer: issuer, audience: audience, updateAge: updateAge, absoluteLifetime: absoluteLifetime)
    }
}
