/// What a node does when its revocation store fails: at start-up, and when its set grows old.
///
/// The defaults: refuse to start without the store (starting empty would forget every
/// revocation in force), reload every 30 seconds as a backstop to the store's notifications,
/// report the set as stale after 5 minutes without a successful reload, and keep serving
/// from it (revocations already loaded stay in force; new ones elsewhere are not seen) while
/// re-issuing no token.
///
/// Why keep serving: failing closed signs every user out whenever the store is down, which
/// turns a database outage into a site outage. Why re-issue nothing: a thief holding a revoked
/// session's cookie must not get a fresh one from a node that has not heard of the revocation.
/// A stale node thus accepts a revoked session at most until that token's own `exp`, and only
/// while it is cut off from the store; ``WhenStale/failClosed`` is for services that prefer
/// signing everyone out to that.
public struct RevocationPolicy: Sendable, Equatable {
    /// Start-up when the store cannot be read.
    public enum StartupFailure: Sendable, Equatable {
        /// ``RevocationService/start()`` throws: the service should not serve.
        case refuseToStart
        /// Start with an empty set, report the failure and keep retrying.
        case startEmpty
    }

    /// What happens once the set is older than ``staleAfter``.
    public enum WhenStale: Sendable, Equatable {
        /// Keep checking against the last set; report the staleness.
        case keepServing
        /// Refuse every session until a reload succeeds: every user is signed out.
        case failClosed
    }

    /// Start-up when the store cannot be read.
    public var startupFailure: StartupFailure
    /// How often the whole set is read again, whatever the notifications said.
    public var reloadInterval: Duration
    /// How old the set may grow before it is stale.
    public var staleAfter: Duration
    /// What a stale set does.
    public var whenStale: WhenStale

    /// A policy; every argument has the documented default.
    public init(
        startupFailure: StartupFailure = .refuseToStart, reloadInterval: Duration = .seconds(30),
        staleAfter: Duration = .seconds(300), whenStale: WhenStale = .keepServing
    ) {
        self.startupFailure = startupFailure
        self.reloadInterval = reloadInterval
        self.staleAfter = staleAfter
        self.whenStale = whenStale
    }
}

extension RevocationPolicy {
    /// ``staleAfter`` in seconds.
    var staleAfterSeconds: Double {
        Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
    }
}
