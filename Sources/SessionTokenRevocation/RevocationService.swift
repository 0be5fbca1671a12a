public import Foundation
public import SessionToken
import Synchronization

#if ServiceLifecycle
import ServiceLifecycle
#endif

/// Keeps a node's ``RevocationList`` fresh from a ``RevocationStore`` and writes this node's
/// revocations: the one object a service holds for revocation.
///
/// ```swift
/// let revocations = RevocationService(store: store, sealer: sealer)
/// try await revocations.start()                  // the first load, under the policy
/// Task { await revocations.run() }               // notifications, reloads, staleness
/// try await revocations.revokeUser("alice")      // sign out everywhere
/// let session = try sealer.open(token, revocations: revocations.current)
/// ```
///
/// The hot path reads ``current`` (lock-free) and never waits on the store. Faults follow the
/// ``RevocationPolicy`` and are reported as ``RevocationEvent``s.
public final class RevocationService: Sendable {
    /// The node's revocations, as the request path reads them.
    public let list: RevocationList
    /// Where revocations are written and read back.
    public let store: any RevocationStore
    /// What the node does when the store fails.
    public let policy: RevocationPolicy

    /// How long each revocation this service writes is kept: the longest a token can live
    /// (``init(store:tokenLifetime:policy:list:clock:onEvent:)``) plus the policy's
    /// ``RevocationPolicy/staleAfter``, since a node that has not heard of a revocation may
    /// re-issue a session's token until its set is that old (then it re-issues nothing), and
    /// the re-issued token lives a whole lifetime from then.
    public let retention: TimeInterval
    private let clock: @Sendable () -> Date
    private let report: @Sendable (RevocationEvent) -> Void
    private let startedAt: Date

    /// Coalesces reloads: a change noticed while a reload runs makes it run once more.
    private struct Reloading {
        var running = false
        var again = false
        var lastFailed = false
        var staleReported = false
        /// When the last reload began, and whether a reload was asked for since that the rate
        /// limit held back: the periodic task runs it.
        var lastStarted: ContinuousClock.Instant?
        var deferred = false
    }

    /// Reloads asked for by the change feed (``RevocationChange/unknown``) run at most this often:
    /// whoever can notify the store's channel must not make the node read the whole table in a loop.
    static let minimumReloadInterval = Duration.seconds(1)
    private let reloading = Mutex(Reloading())

    /// A service over `store` for the tokens of `sealer`: each revocation is kept for the
    /// sealer's `SessionSealer.maxTokenAge` plus the policy's ``RevocationPolicy/staleAfter``.
    ///
    /// - Parameters:
    ///   - store: Where the revocations are kept and shared with the other nodes.
    ///   - sealer: The sealer whose tokens this service checks; its `maxTokenAge` sets the retention.
    ///   - policy: Reload interval, staleness bound and what to do when stale or unreachable.
    ///   - list: The list the request path reads; a new one by default.
    ///   - clock: The time; tests pass their own.
    ///   - onEvent: Receives every reload, failure, staleness and revocation (for logs and
    ///     metrics). It runs on the service's tasks and must not block.
    public convenience init(
        store: any RevocationStore, sealer: SessionSealer, policy: RevocationPolicy = RevocationPolicy(),
        list: RevocationList = RevocationList(), clock: @escaping @Sendable () -> Date = { Date() },
        onEvent: @escaping @Sendable (RevocationEvent) -> Void = { _ in }
    ) {
        self.init(
            store: store, tokenLifetime: sealer.maxTokenAge, policy: policy, list: list, clock: clock, onEvent: onEvent)
    }

    /// A service over `store` for tokens that live at most `tokenLifetime` seconds, leeway
    /// included: for next-auth's tokens, the codec's `maxAge` plus its clock tolerance
    /// (`SessionTokenNextAuth` has an initialiser that takes the codec).
    ///
    /// - Parameters:
    ///   - store: Where the revocations are kept and shared with the other nodes.
    ///   - tokenLifetime: The longest any token checked against this service can live, in
    ///     seconds; more than 0. A token that may live longer would outlive its revocation.
    ///   - policy: Reload interval, staleness bound and what to do when stale or unreachable.
    ///   - list: The list the request path reads; a new one by default.
    ///   - clock: The time; tests pass their own.
    ///   - onEvent: Receives every reload, failure, staleness and revocation (for logs and
    ///     metrics). It runs on the service's tasks and must not block.
    public init(
        store: any RevocationStore, tokenLifetime: TimeInterval, policy: RevocationPolicy = RevocationPolicy(),
        list: RevocationList = RevocationList(), clock: @escaping @Sendable () -> Date = { Date() },
        onEvent: @escaping @Sendable (RevocationEvent) -> Void = { _ in }
    ) {
        self.store = store
        self.list = list
        self.policy = policy
        self.retention = max(tokenLifetime, 0) + policy.staleAfterSeconds
        self.clock = clock
        self.report = onEvent
        self.startedAt = clock()
    }

    /// The revocations in force; what every open checks. Lock-free.
    public var current: RevocationSet { list.current }

    /// How long since the set was last loaded (since the service was made, before any load).
    public var staleness: TimeInterval { clock().timeIntervalSince(list.loadedAt ?? startedAt) }

    /// True while the set is older than the policy's ``RevocationPolicy/staleAfter``: the node
    /// may be missing revocations written elsewhere, so it re-issues no token (a re-issue would
    /// hand a revoked session's thief a fresh cookie). It still opens tokens as the policy says.
    public var isStale: Bool { staleness > policy.staleAfterSeconds }

    // MARK: Loading

    /// The first load. Throws when the store cannot be read and the policy is
    /// ``RevocationPolicy/StartupFailure/refuseToStart``; otherwise starts empty and reports.
    public func start() async throws(RevocationStoreError) {
        do {
            let stored = try await list.reload(from: store, at: clock())
            report(.reloaded(count: list.current.count, unreadable: stored.unreadable))
        } catch {
            let failure = Self.storeError(error)
            report(.reloadFailed(failure))
            reloading.withLock { $0.lastFailed = true }
            if policy.startupFailure == .refuseToStart { throw failure }
        }
    }

    /// Reads the whole set from the store now; returns whether it succeeded. A failure keeps
    /// the previous set and is reported. Calls made while a reload runs are folded into one
    /// more reload after it.
    @discardableResult
    public func reload() async -> Bool {
        let first = reloading.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            state.lastStarted = ContinuousClock.now
            state.deferred = false
            return true
        }
        guard first else { return true }
        var succeeded = false
        while true {
            do {
                let stored = try await list.reload(from: store, at: clock())
                succeeded = true
                report(.reloaded(count: list.current.count, unreadable: stored.unreadable))
            } catch {
                succeeded = false
                report(.reloadFailed(Self.storeError(error)))
            }
            let more = reloading.withLock { state -> Bool in
                state.lastFailed = !succeeded
                if succeeded { state.staleReported = false }
                if state.again {
                    state.again = false
                    return true
                }
                state.running = false
                return false
            }
            if !more { return succeeded }
        }
    }

    /// Runs until the task is cancelled: follows the store's notifications (re-established
    /// after a failure; a named revocation is applied at once, anything else reloads), reloads
    /// every ``RevocationPolicy/reloadInterval`` (every second while the store is failing), and
    /// applies the staleness rule.
    ///
    /// With the trait `ServiceLifecycle` (on with `Hummingbird` and `Vapor`), this is the
    /// type's `Service.run()`: it also returns on a graceful shutdown, so a service group
    /// (Hummingbird's `Application(services:)`) runs it beside the server. Call ``start()``
    /// first either way.
    public func run() async {
        #if ServiceLifecycle
        await cancelWhenGracefulShutdown { await self.follow() }
        #else
        await follow()
        #endif
    }

    private func follow() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followChanges() }
            group.addTask { await self.reloadPeriodically() }
            await group.waitForAll()
        }
    }

    private func followChanges() async {
        while !Task.isCancelled {
            do {
                try await store.watchChanges { [self] (change: RevocationChange) in
                    switch change {
                    case .written(let revocation): list.apply(revocation, at: clock())
                    case .unknown: await reloadAtLimitedRate()
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                report(.watchFailed(Self.storeError(error)))
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// A reload the change feed asked for: now, unless one began less than
    /// ``minimumReloadInterval`` ago; then the periodic task runs it when that has passed.
    private func reloadAtLimitedRate() async {
        let now = ContinuousClock.now
        let runNow = reloading.withLock { state -> Bool in
            if let last = state.lastStarted, now - last < Self.minimumReloadInterval {
                state.deferred = true
                return false
            }
            return true
        }
        if runNow { await reload() }
    }

    /// True when a reload held back by the rate limit may run now.
    private func dueDeferredReload() -> Bool {
        let now = ContinuousClock.now
        return reloading.withLock { state in
            guard state.deferred else { return false }
            guard let last = state.lastStarted else { return true }
            return now - last >= Self.minimumReloadInterval
        }
    }

    private func reloadPeriodically() async {
        let tick = min(policy.reloadInterval, .seconds(1))
        var sinceReload = Duration.zero
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            guard !Task.isCancelled else { return }
            sinceReload += tick
            let failing = reloading.withLock { $0.lastFailed }
            if sinceReload >= policy.reloadInterval || failing || dueDeferredReload() {
                sinceReload = .zero
                await reload()
            }
            checkStaleness()
        }
    }

    /// Reports a stale set once per stale period, and fails closed when the policy says so.
    package func checkStaleness() {
        let age = staleness
        guard age > policy.staleAfterSeconds else { return }
        let failClosed = policy.whenStale == .failClosed
        if failClosed, !list.current.revokesEverything { list.refuseEverything() }
        let first = reloading.withLock { state -> Bool in
            defer { state.staleReported = true }
            return !state.staleReported
        }
        if first { report(.stale(seconds: age, failingClosed: failClosed)) }
    }

    // MARK: Revoking

    /// Writes a revocation to the store, then puts it into force on this node at once (other
    /// nodes see it when their store notifies them, or at their next reload).
    public func revoke(_ revocation: Revocation) async throws(RevocationStoreError) {
        do {
            try await store.revoke(revocation)
        } catch {
            throw Self.storeError(error)
        }
        list.apply(revocation, at: clock())
        report(.revoked(revocation.target))
    }

    /// Signs a user out everywhere: every session that began before `time` (now by default),
    /// whatever tokens it has been re-issued as.
    public func revokeUser(_ subject: String, before time: Date? = nil) async throws(RevocationStoreError) {
        try await revoke(.user(subject, before: time ?? clock(), retainedFor: retention))
    }

    /// Signs one session out: every token of the session whose `sid` is `sessionID` (for a
    /// next-auth front end's token without `sid`, its `jti`).
    public func revokeSession(_ sessionID: String) async throws(RevocationStoreError) {
        try await revoke(.session(sessionID, at: clock(), retainedFor: retention))
    }

    /// Deletes the store's expired revocations; returns how many.
    @discardableResult
    public func purge() async throws(RevocationStoreError) -> Int {
        do {
            return try await store.purge(at: clock())
        } catch {
            throw Self.storeError(error)
        }
    }

    /// A store's error as one the service reports: stores throw ``RevocationStoreError``;
    /// anything else is named by its type only, since its text may hold an address.
    private static func storeError(_ error: any Error) -> RevocationStoreError {
        if let error = error as? RevocationStoreError { return error }
        return .failed(String(describing: type(of: error)))
    }
}
