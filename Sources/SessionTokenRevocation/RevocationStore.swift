public import Foundation

/// Where revocations are kept, shared by the nodes of a service: written when a user signs
/// out, read back by every node into its ``RevocationList`` (``RevocationService`` does the
/// reading).
///
/// The hot path never calls a store: it reads the node's in-memory ``RevocationSet``.
public protocol RevocationStore: Sendable {
    /// Records a revocation. A user revoked again keeps the later cut-off.
    func revoke(_ revocation: Revocation) async throws
    /// Every revocation that has not expired at `now`. Rows the store cannot read are left out
    /// and counted, never thrown: one bad row must not stop a node from loading the others.
    func revocations(at now: Date) async throws -> StoredRevocations
    /// Deletes the revocations expired at `now`; returns how many.
    @discardableResult
    func purge(at now: Date) async throws -> Int
    /// Calls `changed` whenever the store may hold revocations this node has not loaded:
    /// ``RevocationChange/written(_:)`` for a revocation announced by the node that wrote it,
    /// ``RevocationChange/unknown`` after a reconnection (missed notifications are unknown) or
    /// when the store cannot say what changed. Returns when the task is cancelled; throws when
    /// the store cannot be watched (the caller retries). A store without notifications keeps
    /// the default, which only waits: ``RevocationService`` reloads it periodically.
    func watchChanges(_ changed: @escaping @Sendable (RevocationChange) async -> Void) async throws
}

extension RevocationStore {
    /// Waits until cancelled: the store pushes nothing.
    public func watchChanges(_ changed: @escaping @Sendable (RevocationChange) async -> Void) async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
