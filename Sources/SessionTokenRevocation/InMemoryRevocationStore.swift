public import Foundation

/// A ``RevocationStore`` in this process's memory: for tests and for a single process that
/// accepts losing its revocations on restart. A service with more than one node, or one that
/// restarts, needs a durable store.
public actor InMemoryRevocationStore: RevocationStore {
    private var entries: [Revocation] = []

    /// An empty store.
    public init() {}

    /// Records a revocation.
    public func revoke(_ revocation: Revocation) throws(RevocationStoreError) {
        try revocation.checkedForStore()
        entries.append(revocation)
    }

    /// Every revocation that has not expired at `now`.
    public func revocations(at now: Date) -> StoredRevocations {
        StoredRevocations(entries.filter { $0.expiresAt > now })
    }

    /// Deletes the revocations expired at `now`; returns how many.
    @discardableResult
    public func purge(at now: Date) -> Int {
        let before = entries.count
        entries.removeAll { $0.expiresAt <= now }
        return before - entries.count
    }
}
