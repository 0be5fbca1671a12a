import Crypto
public import Foundation
import SessionCookies
public import SessionToken

/// Reads and writes the encrypted session tokens of next-auth v4 and Auth.js v5 (the value of
/// the `next-auth.session-token` / `authjs.session-token` cookie, reassembled from its chunks
/// by ``NextAuthCookie``).
///
/// Keys are derived from the secrets once, here; ``decode(_:at:)`` and ``encode(_:at:)`` then
/// run no key derivation. An immutable `Sendable` value: make one at start-up and share it.
///
/// ```swift
/// let codec = try NextAuthCodec(secrets: [secret], format: .v5(secure: true))
/// let claims = try codec.decode(token)
/// ```
///
/// Errors follow the core library: every token that is malformed or does not authenticate is
/// `SessionTokenError.invalid`; `SessionTokenError.expired` and
/// `SessionTokenError.notYetValid` only come after authentication.
public struct NextAuthCodec: Sendable {
    /// next-auth's and Auth.js's clock tolerance: 15 seconds.
    public static let defaultClockTolerance: TimeInterval = 15
    /// The default longest token accepted: 16 KiB, room for a token reassembled from four
    /// cookie chunks.
    public static let defaultMaxTokenLength = 16_384
    /// next-auth's default session lifetime: 30 days.
    public static let defaultMaxAge: TimeInterval = 2_592_000
    /// Most secrets a codec takes. Auth.js reads `AUTH_SECRET` and `AUTH_SECRET_1..3`; v4 tries
    /// each secret in turn, so the list must stay short.
    public static let maxSecrets = 8

    /// How keys are derived and which header tokens carry.
    public let format: NextAuthFormat
    /// Seconds of clock skew tolerated when checking `exp`, `nbf` and `iat`.
    public let clockTolerance: TimeInterval
    /// The longest token ``decode(_:at:)`` looks at, in bytes, and ``encode(_:at:)`` writes.
    public let maxTokenLength: Int
    /// The lifetime ``encode(_:at:)`` gives a token: `exp` = `iat` + `maxAge`.
    public let maxAge: TimeInterval

    /// The derived keys, in the order of the secrets; the first one encodes.
    let secrets: [DerivedSecret]

    /// Derives the keys of every secret.
    ///
    /// - Parameters:
    ///   - secrets: `NEXTAUTH_SECRET` (v4) or `AUTH_SECRET` followed by older secrets (v5), as
    ///     UTF-8 text, 1 to ``maxSecrets`` non-empty strings. The first one encodes. Decoding
    ///     tries each in order for v4; for v5 a token's `kid` picks one, and a token without
    ///     `kid` is tried with the first only.
    ///   - format: ``NextAuthFormat/v4`` or ``NextAuthFormat/v5(cookieName:)``.
    ///   - clockTolerance: Seconds of clock skew tolerated, 0 to 86,400 (default 15).
    ///   - maxTokenLength: Longest token, 128 to 1,048,576 bytes (default 16,384).
    ///   - maxAge: Lifetime of encoded tokens in seconds, more than 0 (default 30 days).
    /// - Throws: `SessionTokenError.configuration(_:)` for an unusable setting; the message
    ///   names the setting and never contains a secret.
    public init(
        secrets: [String], format: NextAuthFormat, clockTolerance: TimeInterval = defaultClockTolerance,
        maxTokenLength: Int = defaultMaxTokenLength, maxAge: TimeInterval = defaultMaxAge
    ) throws(SessionTokenError) {
        guard !secrets.isEmpty else { throw .configuration("no secret: next-auth needs at least one") }
        guard secrets.count <= Self.maxSecrets else {
            throw .configuration("\(secrets.count) secrets given; at most \(Self.maxSecrets) are allowed")
        }
        for (offset, secret) in secrets.enumerated() where secret.isEmpty {
            throw .configuration("secret \(offset + 1) is empty")
        }
        guard clockTolerance.isFinite, clockTolerance >= 0, clockTolerance <= 86_400 else {
            throw .configuration("clock tolerance must be 0 to 86400 seconds")
        }
        guard (128...1_048_576).contains(maxTokenLength) else {
            throw .configuration("maximum token length must be 128 to 1048576 bytes")
        }
        guard maxAge.isFinite, maxAge > 0, maxAge <= 1e10 else {
            throw .configuration("max age must be a positive number of seconds")
        }
        if case .v5(let cookieName) = format, !CookieSyntax.isValidName(cookieName) {
            throw .configuration("cookie name must be RFC 6265 token characters")
        }
        self.format = format
        self.clockTolerance = clockTolerance
        self.maxTokenLength = maxTokenLength
        self.maxAge = maxAge
        self.secrets = secrets.map { DerivedSecret(secret: $0, format: format) }
    }

    /// The first segment of every token this codec encodes: the first secret's header.
    var encodeHeaderSegment: [UInt8] { secrets[0].headerSegment }
}
