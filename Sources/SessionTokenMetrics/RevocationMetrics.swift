#if Metrics
public import CoreMetrics
import Foundation
public import Logging
import SessionToken
public import SessionTokenRevocation

/// Turns a `RevocationService`'s events into swift-metrics and swift-log: pass
/// ``record(_:)`` as the service's `onEvent`.
///
/// ```swift
/// let events = RevocationMetrics()
/// let revocations = RevocationService(store: store, sealer: sealer, onEvent: events.record)
/// ```
///
/// | metric | dimensions |
/// |---|---|
/// | `session_token_revocation_reloads_total` | `result`: `ok`, `failed` |
/// | `session_token_revocations` (gauge) | the set's size after the last reload |
/// | `session_token_revocation_loaded_at_seconds` (gauge) | Unix time of the last successful reload: staleness is now minus it |
/// | `session_token_revocation_unreadable_rows_total` | |
/// | `session_token_revocation_watch_failures_total` | |
/// | `session_token_revocation_stale_total` | `failing_closed`: `true`, `false` |
/// | `session_token_revocations_written_total` | `kind`: `user`, `session` |
///
/// Log lines (label `session-token.revocations`): a reload at `debug`, unreadable rows, a failed
/// reload and a lost change feed at `warning`, a stale set at `error`. They name the store's
/// error and counts, never a token, a user ID or a password.
public struct RevocationMetrics: Sendable {
    private let reloadsOK: Counter
    private let reloadsFailed: Counter
    private let size: Gauge
    private let loadedAt: Gauge
    private let unreadable: Counter
    private let watchFailures: Counter
    private let staleServing: Counter
    private let staleClosed: Counter
    private let writtenUsers: Counter
    private let writtenSessions: Counter
    private let logger: Logger

    /// Metrics through `factory` (the bootstrapped one by default); lines to `logger`.
    public init(
        factory: any MetricsFactory = MetricsSystem.factory, logger: Logger = Logger(label: "session-token.revocations")
    ) {
        reloadsOK = Counter(label: "session_token_revocation_reloads_total", dimensions: [("result", "ok")], factory: factory)
        reloadsFailed = Counter(label: "session_token_revocation_reloads_total", dimensions: [("result", "failed")], factory: factory)
        size = Gauge(label: "session_token_revocations", factory: factory)
        loadedAt = Gauge(label: "session_token_revocation_loaded_at_seconds", factory: factory)
        unreadable = Counter(label: "session_token_revocation_unreadable_rows_total", factory: factory)
        watchFailures = Counter(label: "session_token_revocation_watch_failures_total", factory: factory)
        staleServing = Counter(label: "session_token_revocation_stale_total", dimensions: [("failing_closed", "false")], factory: factory)
        staleClosed = Counter(label: "session_token_revocation_stale_total", dimensions: [("failing_closed", "true")], factory: factory)
        writtenUsers = Counter(label: "session_token_revocations_written_total", dimensions: [("kind", "user")], factory: factory)
        writtenSessions = Counter(label: "session_token_revocations_written_total", dimensions: [("kind", "session")], factory: factory)
        self.logger = logger
    }

    /// Records one event.
    public func record(_ event: RevocationEvent) {
        switch event {
        case .reloaded(let count, let rows):
            reloadsOK.increment()
            size.record(count)
            loadedAt.record(Date().timeIntervalSince1970)
            logger.debug("revocations reloaded", metadata: ["count": "\(count)"])
            if rows > 0 {
                unreadable.increment(by: rows)
                logger.warning("revocation store rows skipped: unreadable", metadata: ["rows": "\(rows)"])
            }
        case .reloadFailed(let error):
            reloadsFailed.increment()
            logger.warning("revocation reload failed; the last set stays in force", metadata: ["error": "\(error)"])
        case .watchFailed(let error):
            watchFailures.increment()
            logger.warning("revocation change feed lost; listening again", metadata: ["error": "\(error)"])
        case .stale(let seconds, let failingClosed):
            (failingClosed ? staleClosed : staleServing).increment()
            logger.error(
                failingClosed ? "revocations stale: refusing every session until a reload succeeds"
                    : "revocations stale: serving from the last set",
                metadata: ["seconds": "\(Int(seconds))"])
        case .revoked(let target):
            switch target {
            case .user: writtenUsers.increment()
            case .session: writtenSessions.increment()
            }
        }
    }
}
#endif
