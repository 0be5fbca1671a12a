/// What ``SessionSealer/refresh(_:at:)`` yields: the verified session and, when it was due, a
/// replacement token to send back (in a new session cookie).
public struct RefreshedSession: Sendable, Equatable {
    /// The session the presented token carried.
    public let session: VerifiedSession
    /// A fresh token under the primary key with the same `sub`, custom claims, `sid` and
    /// `auth_time`, a new `iat` and a sliding `exp`; nil when no re-issue was due.
    public let replacement: String?

    /// Made only by ``SessionSealer/refresh(_:at:)``.
    package init(session: VerifiedSession, replacement: String?) {
        self.session = session
        self.replacement = replacement
    }
}
