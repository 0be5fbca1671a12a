import Atomics
public import Foundation
import Synchronization

/// A node's revocations: a ``RevocationSet`` read lock-free on every request, replaced whole
/// when the store says something changed.
///
/// ```swift
/// let revocations = RevocationList()
/// try await revocations.reload(from: store)              // at start-up, then on every change
/// let session = try sealer.open(token, revocations: revocations.current)
/// ```
///
/// ``RevocationService`` keeps a list fresh and applies this node's own revocations at once.
public final class RevocationList: Sendable {
    private final class Snapshot: AtomicReference, Sendable {
        let set: RevocationSet
        let loadedAt: Date?
        init(_ set: RevocationSet, loadedAt: Date?) {
            self.set = set
            self.loadedAt = loadedAt
        }
    }

    /// Revocations this node applied itself, by the order they were applied. A reload that
    /// began reading before one of them was written may not hold it, so each is applied again
    /// on top of such a reload, and dropped by the first reload that began after it.
    private struct Local {
        var applied = 0
        var recent: [(order: Int, revocation: Revocation)] = []
    }

    private let snapshot: ManagedAtomic<Snapshot>
    /// Serialises writers; readers never touch it.
    private let writing = Mutex(Local())

    /// An empty list that has never been loaded.
    public init() {
        snapshot = ManagedAtomic(Snapshot(.empty, loadedAt: nil))
    }

    /// The revocations in force. Lock-free; take it once per request.
    public var current: RevocationSet { snapshot.load(ordering: .acquiring).set }

    /// When the set was last loaded from a store; nil before the first load. The age of the
    /// set is how stale a node may be.
    public var loadedAt: Date? { snapshot.load(ordering: .acquiring).loadedAt }

    /// Replaces the set with the revocations of `list` in force at `now`. This node's own
    /// revocations applied before the call are assumed to be in `list`.
    public func replace(with list: some Sequence<Revocation>, at now: Date = Date()) {
        let set = RevocationSet(list, at: now)
        writing.withLock { local in
            local.recent.removeAll()
            snapshot.store(Snapshot(set, loadedAt: now), ordering: .releasing)
        }
    }

    /// Reads every revocation in force from `store` and makes it the set; returns what the
    /// store read. When the store fails, the previous set stays in force and the error is
    /// thrown.
    @discardableResult
    public func reload(from store: some RevocationStore, at now: Date = Date()) async throws -> StoredRevocations {
        let mark = writing.withLock { $0.applied }
        let stored = try await store.revocations(at: now)
        var set = RevocationSet(stored.revocations, at: now)
        writing.withLock { local in
            local.recent.removeAll { $0.order <= mark }
            for entry in local.recent {
                set = set.adding(entry.revocation, at: now)
            }
            snapshot.store(Snapshot(set, loadedAt: now), ordering: .releasing)
        }
        return stored
    }

    /// Puts a revocation this node has written to its store into force here at once, before
    /// the next reload.
    public func apply(_ revocation: Revocation, at now: Date = Date()) {
        writing.withLock { local in
            local.applied += 1
            local.recent.append((local.applied, revocation))
            let old = snapshot.load(ordering: .acquiring)
            snapshot.store(Snapshot(old.set.adding(revocation, at: now), loadedAt: old.loadedAt), ordering: .releasing)
        }
    }

    /// Refuses every session until the next successful reload: failing closed.
    public func refuseEverything() {
        writing.withLock { _ in
            let old = snapshot.load(ordering: .acquiring)
            snapshot.store(Snapshot(.everything, loadedAt: old.loadedAt), ordering: .releasing)
        }
    }
}
