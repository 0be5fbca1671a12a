import Foundation

/// One revocation: every session of a user issued before a time ("sign out everywhere", a
/// password change), or one session by its token ID ("sign out this device").
///
/// A revocation is checked only after a token has authenticated and its times have passed, so
/// ``SessionTokenError/revoked`` tells its holder nothing an attacker could use. Each
/// revocation expires when the last token it can match would have expired: after that it is
/// purged, which keeps the set bounded by the revocations of one token lifetime.
public struct Revocation: Sendable, Hashable {
    /// What a revocation matches.
    public enum Target: Sendable, Hashable {
        /// Every session of this user (`sub`) issued before ``Revocation/time``.
        case user(String)
        /// The session whose `jti` is this.
        case session(String)
    }

    /// The user or the session.
    public let target: Target
    /// For a user, the cut-off: a token with `iat` before it is revoked. For a session, when it
    /// was revoked.
    public let time: Date
    /// When no token the revocation can match is still valid; it may be purged from then on.
    public let expiresAt: Date

    /// A revocation with an explicit expiry: for stores reading back what they wrote.
    public init(target: Target, time: Date, expiresAt: Date) {
        self.target = target
        self.time = time
        self.expiresAt = expiresAt
    }

    /// Revokes every session of `subject` issued before `time`. It expires once the newest of
    /// them would have: `time` plus the sealer's lifetime and leeway.
    public static func user(_ subject: String, before time: Date, for sealer: SessionSealer) -> Revocation {
        Revocation(target: .user(subject), time: time, expiresAt: time.addingTimeInterval(sealer.maxTokenAge))
    }

    /// Revokes the session whose token ID is `tokenID`, revoked at `time`. A token revoked at
    /// `time` was issued before it, so it expires by `time` plus the sealer's lifetime and
    /// leeway.
    public static func session(_ tokenID: String, at time: Date, for sealer: SessionSealer) -> Revocation {
        Revocation(target: .session(tokenID), time: time, expiresAt: time.addingTimeInterval(sealer.maxTokenAge))
    }
}
