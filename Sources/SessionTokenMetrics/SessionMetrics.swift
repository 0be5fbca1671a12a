#if Metrics
import Atomics
public import CoreMetrics
public import Logging
public import SessionToken
import Synchronization

/// Counts what the session middlewares do, through swift-metrics: pass it as the
/// configuration's `observer`. No backend is bundled; bootstrap the one the service uses.
///
/// ```swift
/// let metrics = SessionMetrics()
/// let sessions = SessionConfiguration(keys: keys, observer: metrics)
/// ```
///
/// | metric | dimensions |
/// |---|---|
/// | `session_token_opens_total` | `outcome`: `ok`, `invalid`, `expired`, `not_yet_valid`, `revoked` |
/// | `session_token_opens_ok_by_key_total` | `key_id`: the ring's IDs only |
/// | `session_token_seals_total` | `key_id`, `reason`: `sign_in` or `reissue` |
///
/// A256GCM draws a random 96-bit nonce for each seal, which is safe for about 2^32 seals under
/// one key: once this process has sealed ``nonceWarningThreshold`` tokens under an A256GCM key,
/// a warning is logged (once a key), naming the key ID. Rotate that key.
public final class SessionMetrics: SessionObserver {
    /// Seals under one A256GCM key after which the nonce-budget warning is logged: 2^31, half
    /// the budget, by default.
    public let nonceWarningThreshold: UInt64

    private let factory: any MetricsFactory
    private let logger: Logger
    private let okOpens: Counter
    private let invalidOpens: Counter
    private let expiredOpens: Counter
    private let notYetValidOpens: Counter
    private let revokedOpens: Counter
    /// The last key whose `ok` was counted, and its counter: nearly every open is under the
    /// primary key, so one string compare finds it without the lock.
    private final class LastKey: AtomicReference, Sendable {
        let id: String
        let counter: Counter
        init(id: String, counter: Counter) {
            self.id = id
            self.counter = counter
        }
    }
    private let lastOKKey: ManagedAtomic<LastKey>
    private struct PerKey {
        var okOpens: [String: Counter] = [:]
        var signIns: [String: Counter] = [:]
        var reissues: [String: Counter] = [:]
        var aesGCMSeals: [String: UInt64] = [:]
    }
    private let perKey = Mutex(PerKey())

    /// Metrics through `factory` (the bootstrapped one by default); warnings to `logger`.
    public init(
        factory: any MetricsFactory = MetricsSystem.factory, logger: Logger = Logger(label: "session-token"),
        nonceWarningThreshold: UInt64 = 1 << 31
    ) {
        self.factory = factory
        self.logger = logger
        self.nonceWarningThreshold = nonceWarningThreshold
        func opens(_ outcome: OpenOutcome) -> Counter {
            Counter(label: "session_token_opens_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        okOpens = opens(.ok)
        invalidOpens = opens(.invalid)
        expiredOpens = opens(.expired)
        notYetValidOpens = opens(.notYetValid)
        revokedOpens = opens(.revoked)
        // A placeholder no key ID equals (IDs are not empty); its counter is never incremented.
        lastOKKey = ManagedAtomic(LastKey(id: "", counter: okOpens))
    }

    /// Counts an open by outcome, and an `ok` by its key.
    public func opened(_ outcome: OpenOutcome, keyID: String?) {
        switch outcome {
        case .ok: okOpens.increment()
        case .invalid: invalidOpens.increment()
        case .expired: expiredOpens.increment()
        case .notYetValid: notYetValidOpens.increment()
        case .revoked: revokedOpens.increment()
        }
        guard outcome == .ok, let keyID, !keyID.isEmpty else { return }
        let last = lastOKKey.load(ordering: .acquiring)
        if last.id == keyID { return last.counter.increment() }
        let counter = counter(keyID, \.okOpens, label: "session_token_opens_ok_by_key_total", dimensions: [("key_id", keyID)])
        lastOKKey.store(LastKey(id: keyID, counter: counter), ordering: .releasing)
        counter.increment()
    }

    /// Counts a seal by key and reason; watches an A256GCM key's nonce budget.
    public func sealed(_ key: SessionKey, reissue: Bool) {
        let reason = reissue ? "reissue" : "sign_in"
        counter(key.id, reissue ? \.reissues : \.signIns, label: "session_token_seals_total",
            dimensions: [("key_id", key.id), ("reason", reason)]).increment()
        guard key.encryption == .aes256GCM else { return }
        let threshold = nonceWarningThreshold
        let reached = perKey.withLock { state -> Bool in
            let count = (state.aesGCMSeals[key.id] ?? 0) + 1
            state.aesGCMSeals[key.id] = count
            return count == threshold
        }
        if reached {
            logger.warning(
                "A256GCM key is approaching its random-nonce budget in this process; rotate it",
                metadata: ["key_id": "\(key.id)", "seals": "\(threshold)"])
        }
    }

    /// The counter of `id` in one of the per-key tables, made on first use. Its keys are key
    /// IDs that authenticated or sealed, so the table is bounded by the ring.
    private func counter(
        _ id: String, _ table: WritableKeyPath<PerKey, [String: Counter]>, label: String, dimensions: [(String, String)]
    ) -> Counter {
        let factory = self.factory
        return perKey.withLock { state in
            if let counter = state[keyPath: table][id] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            state[keyPath: table][id] = counter
            return counter
        }
    }
}
#endif
