import Foundation
extension SessionClaims {
    /// The one check of a token's times, for native opening and next-auth decoding alike, run
    /// only after the token authenticated: `exp` must lie ahead and neither `nbf` nor `iat`
    /// ahead of now, each with `leeway` seconds of tolerance for clock skew.
    ///
    /// - Parameters:
    ///   - t: Now, in seconds since 1970.
    ///   - leeway: Seconds of tolerance, 0 or more.
    /// - Throws: ``SessionTokenError/expired`` when `t >= exp + leeway`;
    ///   ``SessionTokenError/notYetValid`` when `nbf` or `iat` is after `t + leeway`.
    @inline(__always)
    package func checkTimes(at t: Double, leeway: Double) throws(SessionTokenError) {
        guard t < expiresAt.timeIntervalSince1970 + leeway else { throw .expired }
        if let nbf = notBefore, nbf.timeIntervalSince1970 > t + leeway { throw .notYetValid }
        if let iat = issuedAt, iat.timeIntervalSince1970 > t + leeway { throw .notYetValid }
    }
}
