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
