/// What a ``RevocationStore`` read back: the revocations in force, and how many rows it
/// skipped because it could not read them.
public struct StoredRevocations: Sendable, Equatable {
    /// The revocations that have not expired.
    public var revocations: [Revocation]
    /// Rows the store could not parse (an unknown kind, an empty value, a time that is not a
    /// number). They are reported, never applied and never a crash.
    public var unreadable: Int

    /// The store's answer.
    public init(_ revocations: [Revocation], unreadable: Int = 0) {
        self.revocations = revocations
        self.unreadable = unreadable
    }

    /// Adds a row a store read: the revocation, or nil when the row could not be read.
    package mutating func add(_ row: Revocation?) {
        if let row {
            revocations.append(row)
        } else {
            unreadable += 1
        }
    }
}
