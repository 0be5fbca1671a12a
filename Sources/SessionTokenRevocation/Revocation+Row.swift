import Foundation

// The one row format of the stores: a kind, a value and two times in seconds since 1970.
extension Revocation {
    /// The kind column: `user` or `session`.
    package var kind: String {
        switch target {
        case .user: "user"
        case .session: "session"
        }
    }

    /// The value column: the user ID or the session ID.
    package var value: String {
        switch target {
        case .user(let subject): subject
        case .session(let sessionID): sessionID
        }
    }

    /// Longest user or session ID a store accepts, in UTF-8 bytes: the claims' own limit keeps
    /// real IDs far below it.
    package static let maxValueBytes = 1024

    /// A row read back from a store; nil when it is not one this library wrote.
    package init?(kind: String, value: String, time: Double, expiresAt: Double) {
        guard !value.isEmpty, value.utf8.count <= Self.maxValueBytes, time.isFinite, expiresAt.isFinite,
            expiresAt >= time
        else { return nil }
        let target: Target
        switch kind {
        case "user": target = .user(value)
        case "session": target = .session(value)
        default: return nil
        }
        self.init(target: target, time: Date(timeIntervalSince1970: time),
            expiresAt: Date(timeIntervalSince1970: expiresAt))
    }

    /// Checks a revocation before a store writes it.
    package func checkedForStore() throws(RevocationStoreError) {
        guard !value.isEmpty, value.utf8.count <= Self.maxValueBytes else { throw .invalidRevocation }
        guard time.timeIntervalSince1970.isFinite, expiresAt >= time else { throw .invalidRevocation }
    }
}
