/// Receives what a session layer did, one call an event, for an operator's metrics:
/// `SessionTokenMetrics` forwards the calls to swift-metrics.
///
/// The framework middlewares call it once a request that carried a session cookie, and once
/// a token they seal. With no observer configured nothing is called, so the default costs the
/// hot path one test of a reference.
public protocol SessionObserver: Sendable {
    /// A session cookie was opened: its outcome and, when it opened, the ID of the key that
    /// authenticated it (always one of the ring's IDs, so its values are bounded).
    func opened(_ outcome: OpenOutcome, keyID: String?)
    /// A token was sealed under `key` (a sign-in, or a re-issue when `reissue`).
    func sealed(_ key: SessionKey, reissue: Bool)
}

/// What opening a session cookie came to: the values of the `outcome` dimension.
public enum OpenOutcome: String, Sendable, CaseIterable {
    /// Opened: authenticated, in time, not revoked.
    case ok
    /// Did not authenticate, or was malformed: every unauthenticated failure is this one.
    case invalid
    /// Authenticated, past its expiry.
    case expired
    /// Authenticated, issued in the future beyond the leeway.
    case notYetValid = "not_yet_valid"
    /// Authenticated and in time, but revoked.
    case revoked

    /// The outcome of a failed open.
    public init(_ error: SessionTokenError) {
        switch error {
        case .expired: self = .expired
        case .notYetValid: self = .notYetValid
        case .revoked: self = .revoked
        default: self = .invalid
        }
    }
}
