import Foundation

/// Where revocations are kept, shared by the nodes of a service: written when a user signs
/// out, read back by every node into its ``RevocationList``.
///
/// The hot path never calls a store: it reads the node's in-memory ``RevocationSet``.
public protocol RevocationStore: Sendable {
    /// Records a revocation. It is in force, on this node, once the list is reloaded.
    func revoke(_ revocation: Revocation) async throws
    /// Every revocation that has not expired at `now`.
    func revocations(at now: Date) async throws -> [Revocation]
    /// Deletes the revocations expired at `now`; returns how many.
    @discardableResult
    func purge(at now: Date) async throws -> Int
}
