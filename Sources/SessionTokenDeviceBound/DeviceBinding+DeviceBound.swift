public import Foundation
public import SessionToken
public import SessionTokenHTTP

extension DeviceBinding {
    /// Device-bound sessions (W3C Device Bound Session Credentials) for a
    /// `SessionConfiguration`: a stolen session cookie stops working within `cookieLifetime`.
    ///
    /// ```swift
    /// let sessions = SessionConfiguration(
    ///     keys: keys, revocations: revocations,
    ///     deviceBinding: try .deviceBound(origin: "https://example.com"))
    /// ```
    ///
    /// - Parameters:
    ///   - origin: The site's origin as browsers see it (`https://host[:port]`): the session's scope.
    ///   - registrationPath: Where browsers register their key.
    ///   - refreshPath: Where browsers refresh the bound cookie; the ticket cookie is scoped to it.
    ///   - cookieLifetime: How long a bound cookie lives, in seconds: how long a copied cookie
    ///     keeps working. More than 120 (Chromium refreshes when less than 120 s remain, so a
    ///     shorter one would refresh on every request); 600 by default. Chromium 156 signs at most
    ///     6 proofs per site in 9 minutes, registration included: below about 210 s a user who
    ///     keeps browsing runs out, and is signed out when the last cookie expires.
    ///   - algorithms: The signature algorithms offered; ES256 and RS256 by default.
    ///   - onEvent: Receives registrations, refreshes, challenges, skips and ends.
    /// - Throws: `SessionTokenError.configuration(_:)` for an origin that is not `https://`
    ///   (browsers run DBSC only over HTTPS) or `http://localhost`, a path that is not absolute,
    ///   a lifetime of 120 s or less or over a day, or no algorithm.
    public static func deviceBound(
        origin: String, registrationPath: String = "/dbsc/register", refreshPath: String = "/dbsc/refresh",
        cookieLifetime: TimeInterval = 600, algorithms: [DeviceKeyAlgorithm] = [.es256, .rs256],
        onEvent: (@Sendable (DeviceBoundEvent) -> Void)? = nil
    ) throws(SessionTokenError) -> DeviceBinding {
        DeviceBinding(
            try DeviceBoundSessions(
                origin: origin, registrationPath: registrationPath, refreshPath: refreshPath,
                cookieLifetime: cookieLifetime, algorithms: algorithms, onEvent: onEvent))
    }
}
