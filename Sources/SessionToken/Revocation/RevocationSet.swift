import Foundation

/// The revocations in force, as one immutable value: what a node checks every opened session
/// against, in memory, without waiting on a store.
///
/// Lookups are by the bytes of the user ID and the token ID, so a name that differs only by
/// Unicode equivalence never matches another user's revocation.
public struct RevocationSet: Sendable {
    /// The tables behind one reference, so that passing the set to every open is one retain.
    private final class Tables: Sendable {
        /// The latest cut-off of each user: user IDs of up to 24 bytes by their inline bytes
        /// (one hashed word), longer ones by their string.
        let users: [InlineText: Date]
        let longUsers: [ExactName: Date]
        /// The revoked token IDs: those of up to 24 bytes (every `jti` sealed here) by their
        /// inline bytes, longer ones by their string.
        let sessions: Set<InlineText>
        let longSessions: Set<ExactName>

        init(users: [InlineText: Date], longUsers: [ExactName: Date], sessions: Set<InlineText>,
            longSessions: Set<ExactName>)
        {
            self.users = users
            self.longUsers = longUsers
            self.sessions = sessions
            self.longSessions = longSessions
        }
    }

    private let tables: Tables

    /// No revocation.
    public static let empty = RevocationSet([], at: .distantPast)

    /// The revocations of `list` still in force at `now`; expired ones are left out. A user
    /// revoked several times keeps the latest cut-off.
    public init(_ list: some Sequence<Revocation>, at now: Date) {
        var users: [InlineText: Date] = [:]
        var longUsers: [ExactName: Date] = [:]
        var sessions: Set<InlineText> = []
        var longSessions: Set<ExactName> = []
        for revocation in list where revocation.expiresAt > now {
            switch revocation.target {
            case .user(let subject):
                if let key = InlineText(subject) {
                    users[key] = max(users[key] ?? revocation.time, revocation.time)
                } else {
                    let key = ExactName(subject)
                    longUsers[key] = max(longUsers[key] ?? revocation.time, revocation.time)
                }
            case .session(let tokenID):
                if let key = InlineText(tokenID) {
                    sessions.insert(key)
                } else {
                    longSessions.insert(ExactName(tokenID))
                }
            }
        }
        tables = Tables(users: users, longUsers: longUsers, sessions: sessions, longSessions: longSessions)
    }

    /// The number of entries: users with a cut-off plus revoked token IDs.
    public var count: Int {
        tables.users.count + tables.longUsers.count + tables.sessions.count + tables.longSessions.count
    }

    /// True when a session with these claims is revoked: its `jti` is revoked, or its user has
    /// a cut-off and the token was issued before it (or carries no `iat`, so it cannot show it
    /// was issued after).
    public func revokes(subject: String?, issuedAt: Date?, tokenID: String?) -> Bool {
        if let tokenID, revokesSession(InlineText(tokenID) ?? .none, tokenID) { return true }
        return revokesUser(subject, issuedAt: issuedAt)
    }

    /// True when the verified session is revoked (see ``revokes(subject:issuedAt:tokenID:)``).
    /// A `jti` sealed here is looked up by its inline bytes, without making a `String`.
    public func revokes(_ session: VerifiedSession) -> Bool {
        let claims = session.claims
        if !claims.shortTokenID.isAbsent {
            if !tables.sessions.isEmpty, tables.sessions.contains(claims.shortTokenID) { return true }
        } else if let tokenID = claims.tokenID, revokesSession(.none, tokenID) {
            return true
        }
        return revokesUser(claims.subject, issuedAt: claims.issuedAt)
    }

    private func revokesSession(_ short: InlineText, _ tokenID: String) -> Bool {
        if !short.isAbsent { return !tables.sessions.isEmpty && tables.sessions.contains(short) }
        return !tables.longSessions.isEmpty && tables.longSessions.contains(ExactName(tokenID))
    }

    private func revokesUser(_ subject: String?, issuedAt: Date?) -> Bool {
        guard let subject else { return false }
        let cutOff: Date?
        if let key = InlineText(subject) {
            cutOff = tables.users.isEmpty ? nil : tables.users[key]
        } else {
            cutOff = tables.longUsers.isEmpty ? nil : tables.longUsers[ExactName(subject)]
        }
        guard let cutOff else { return false }
        guard let issuedAt else { return true }
        return issuedAt < cutOff
    }

}
