#if Metrics
public import CoreMetrics
public import Logging

/// Turns device-bound session events into swift-metrics and swift-log (trait `Metrics`): pass
/// ``record(_:)`` as `deviceBound(origin:...)`'s `onEvent`.
///
/// ```swift
/// let events = DeviceBoundMetrics()
/// let binding = try DeviceBinding.deviceBound(origin: "https://example.com", onEvent: events.record)
/// ```
///
/// | metric | dimensions |
/// |---|---|
/// | `session_token_dbsc_registrations_total` | `result`: `ok`, or the refusal (`malformed_proof`, `bad_key`, `bad_signature`, `bad_challenge`, `no_session`); `alg` on `ok` |
/// | `session_token_dbsc_refreshes_total` | `outcome`: `refreshed`, `challenged`, `ended`, `unavailable`, or `refused_` and the refusal |
/// | `session_token_dbsc_challenges_total` | `pushed`: `true`, `false` |
/// | `session_token_dbsc_skipped_total` | `reason`: `unreachable`, `server_error`, `quota_exceeded`, `other` |
/// | `session_token_dbsc_ended_total` | |
///
/// `ended_total` counts the ends this node observed, not sessions: a revoking sign-out counts
/// one, and that browser's next refresh, answered `continue: false`, counts another. Without a
/// row per session the two cannot be told apart, and counting only one would miss a browser
/// that never comes back, or a revocation made on another node.
///
/// Log lines (label `session-token.dbsc`): refusals at `notice` with their reason, a refresh
/// the store could not serve at `warning`. Never a key, a token, a challenge or a session ID.
public struct DeviceBoundMetrics: Sendable {
    private let factory: any MetricsFactory
    private let logger: Logger

    /// Metrics through `factory` (the bootstrapped one by default); lines to `logger`.
    public init(factory: any MetricsFactory = MetricsSystem.factory, logger: Logger = Logger(label: "session-token.dbsc")) {
        self.factory = factory
        self.logger = logger
    }

    /// Records one event.
    public func record(_ event: DeviceBoundEvent) {
        switch event {
        case .registered(let algorithm):
            count("session_token_dbsc_registrations_total", [("result", "ok"), ("alg", algorithm.name)])
        case .registrationRefused(let reason):
            count("session_token_dbsc_registrations_total", [("result", reason.label)])
            logger.notice("device-bound registration refused", metadata: ["reason": "\(reason.label)"])
        case .refreshed(let outcome):
            count("session_token_dbsc_refreshes_total", [("outcome", outcome.rawValue)])
            if outcome == .unavailable {
                logger.warning("device-bound refresh answered 503: the revocation set is stale")
            }
        case .refreshRefused(let reason):
            count("session_token_dbsc_refreshes_total", [("outcome", "refused_" + reason.label)])
            logger.notice("device-bound refresh refused", metadata: ["reason": "\(reason.label)"])
        case .challenged(let pushed):
            count("session_token_dbsc_challenges_total", [("pushed", pushed ? "true" : "false")])
        case .skipped(let reason):
            count("session_token_dbsc_skipped_total", [("reason", reason)])
        case .ended:
            count("session_token_dbsc_ended_total", [])
        }
    }

    private func count(_ label: String, _ dimensions: [(String, String)]) {
        // Counters are looked up by label and dimensions in the factory; events are rare
        // (a registration per sign-in, a refresh per few minutes per session).
        Counter(label: label, dimensions: dimensions, factory: factory).increment()
    }
}

extension DeviceBoundRefusal {
    /// The refusal in snake case, as metric dimensions are written.
    var label: String {
        switch self {
        case .malformedProof: "malformed_proof"
        case .badKey: "bad_key"
        case .badSignature: "bad_signature"
        case .badChallenge: "bad_challenge"
        case .noSession: "no_session"
        }
    }
}
#endif
