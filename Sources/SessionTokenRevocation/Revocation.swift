public import Foundation

/// One revocation: every session of a user that began before a time ("sign out everywhere", a
/// password change), or one session by its ID ("sign out this device").
///
/// Both follow a session through its re-issues: a re-issued token keeps its session's ID
/// (`sid`) and sign-in time (`auth_time`), so a copy of a revoked session's cookie, re-issued
/// anywhere, stays revoked. A revocation is checked only after a token has authenticated and
/// its times have passed, so `SessionTokenError.revoked` tells its holder nothing an attacker
/// could use. Each revocation is kept for its ``RevocationService/retention`` and then purged, which keeps
/// the set bounded by the revocations of one token lifetime.
public struct Revocation: Sendable, Hashable {
    /// What a revocation matches.
    public enum Target: Sendable, Hashable {
        /// Every session of this user (`sub`) that began (`auth_time`, else `iat`) before
        /// ``Revocation/time``.
        case user(String)
        /// The session whose `sid` is this; for a token without `sid` (a next-auth front end's),
        /// the token whose `jti` is this.
        case session(String)
    }

    /// The user or the session.
    public let target: Target
    /// For a user, the cut-off: a session that began before it is revoked. For a session, when
    /// it was revoked.
    public let time: Date
    /// When no token the revocation can match is still valid; it may be purged from then on.
    public let expiresAt: Date

    /// A revocation with an explicit expiry: for stores reading back what they wrote.
    public init(target: Target, time: Date, expiresAt: Date) {
        self.target = target
        self.time = time
        self.expiresAt = expiresAt
    }

    /// Revokes every session of `subject` that began before `time`, kept for `retention`
    /// seconds (``RevocationService/retention``: the longest a token sealed by then can live).
    public static func user(_ subject: String, before time: Date, retainedFor retention: TimeInterval) -> Revocation {
        Revocation(target: .user(subject), time: time, expiresAt: time.addingTimeInterval(retention))
    }

    /// Revokes the session whose ID is `sessionID`, revoked at `time`, kept for `retention`
    /// seconds: its tokens were sealed before `time` (or, by a node that had not heard yet,
    /// soon after), so none outlives that.
    public static func session(_ sessionID: String, at time: Date, retainedFor retention: TimeInterval) -> Revocation {
        Revocation(target: .session(sessionID), time: time, expiresAt: time.addingTimeInterval(retention))
    }
}
