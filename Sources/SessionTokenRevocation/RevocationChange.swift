/// What a ``RevocationStore``'s change feed says happened.
public enum RevocationChange: Sendable, Equatable {
    /// This revocation was written (by any node): apply it, no reload needed.
    case written(Revocation)
    /// Something may have changed that the feed cannot name (a reconnection, another process
    /// writing a file): reload the whole set.
    case unknown
}
