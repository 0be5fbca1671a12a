import Atomics
import Foundation

/// A node's revocations: a ``RevocationSet`` read lock-free on every request, replaced whole
/// when the store says something changed.
///
/// ```swift
/// let revocations = RevocationList()
/// try await revocations.reload(from: store)              // at start-up, then on every change
/// let session = try sealer.open(token, revocations: revocations.current)
/// ```
public final class RevocationList: Sendable {
    private final class Snapshot: AtomicReference, Sendable {
        let set: RevocationSet
        let loadedAt: Date?
        init(_ set: RevocationSet, loadedAt: Date?) {
            self.set = set
            self.loadedAt = loadedAt
        }
    }

    private let snapshot: ManagedAtomic<Snapshot>
    /// Serialises writers; readers never touch it.
    private let writing = NSLock()

    /// An empty list that has never been loaded.
    public init() {
        snapshot = ManagedAtomic(Snapshot(.empty, loadedAt: nil))
    }

    /// The revocations in force. Lock-free; take it once per request.
    public var current: RevocationSet { snapshot.load(ordering: .acquiring).set }

    /// When the set was last loaded from a store; nil before the first load. The age of the
    /// set is how stale a node may be.
    public var loadedAt: Date? { snapshot.load(ordering: .acquiring).loadedAt }

    /// Replaces the set with the revocations of `list` in force at `now`.
    public func replace(with list: some Sequence<Revocation>, at now: Date = Date()) {
        let next = Snapshot(RevocationSet(list, at: now), loadedAt: now)
        writing.lock()
        defer { writing.unlock() }
        snapshot.store(next, ordering: .releasing)
    }

    /// Reads every revocation in force from `store` and makes it the set. When the store
    /// fails, the previous set stays in force and the error is thrown.
    public func reload(from store: some RevocationStore, at now: Date = Date()) async throws {
        let list = try await store.revocations(at: now)
        replace(with: list, at: now)
    }
}
