/// What a ``RevocationService`` reports: the events an operator's logs and metrics are made
/// of. None carries a secret, a token or a store password.
public enum RevocationEvent: Sendable, Equatable {
    /// The set was read from the store: its size, and how many rows could not be read.
    case reloaded(count: Int, unreadable: Int)
    /// A reload failed; the previous set stays in force.
    case reloadFailed(RevocationStoreError)
    /// The store's change feed failed and is being re-established.
    case watchFailed(RevocationStoreError)
    /// The set has not been reloaded for `seconds`, longer than the policy allows.
    case stale(seconds: Double, failingClosed: Bool)
    /// This node revoked a user or a session.
    case revoked(Revocation.Target)
}
