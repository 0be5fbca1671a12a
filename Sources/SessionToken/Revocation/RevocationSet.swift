import Foundation

/// The revocations in force, as one immutable value: what a node checks every opened session
/// against, in memory, without waiting on a store.
///
/// Lookups are by the bytes of the user ID and the token ID, so a name that differs only by
/// Unicode equivalence never matches another user's revocation.
public struct RevocationSet: Sendable {
    /// The lookups: user IDs of up to 24 bytes by their inline bytes (one hashed word), longer
    /// ones by their string; the same for token IDs (every `jti` sealed here is inline).
    private struct Contents: Sendable {
        var users: [InlineText: Date] = [:]
        var longUsers: [ExactName: Date] = [:]
        var sessions: Set<InlineText> = []
        var longSessions: Set<ExactName> = []

        /// A user revoked several times keeps the latest cut-off.
        mutating func insert(_ revocation: Revocation) {
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
    }

    /// The tables behind one reference, so that passing the set to every open is one retain.
    private final class Tables: Sendable {
        let users: [InlineText: Date]
        let longUsers: [ExactName: Date]
        let sessions: Set<InlineText>
        let longSessions: Set<ExactName>
        /// Set when the node fails closed: its revocations are too old to trust.
        let refusesEverything: Bool
        /// A one-hash Bloom filter over the inline keys of `users` and `sessions`: nearly every
        /// session checked is not revoked, and a clear bit says so with a multiply and a load
        /// instead of two hashed lookups. About 16 bits an entry (a false positive in 16 costs
        /// only the lookup it would have made anyway).
        let filter: [UInt64]
        let filterShift: UInt64

        init(_ contents: Contents, refusesEverything: Bool) {
            users = contents.users
            longUsers = contents.longUsers
            sessions = contents.sessions
            longSessions = contents.longSessions
            self.refusesEverything = refusesEverything
            let entries = contents.users.count + contents.sessions.count
            var bits = 6
            while bits < 24, 1 << bits < 16 * entries { bits += 1 }
            var filter = [UInt64](repeating: 0, count: 1 << (bits - 6))
            let shift = UInt64(64 - bits)
            for key in contents.users.keys { Self.set(Tables.slot(key, Tables.userDomain, shift), in: &filter) }
            for key in contents.sessions { Self.set(Tables.slot(key, Tables.sessionDomain, shift), in: &filter) }
            self.filter = filter
            filterShift = shift
        }

        static let userDomain: UInt64 = 0
        static let sessionDomain: UInt64 = 0xD6E8_FEB8_6659_FD93
        /// Per process, so that nobody can choose IDs that collide in every process.
        static let seed = UInt64.random(in: .min ... .max)

        static func slot(_ key: InlineText, _ domain: UInt64, _ shift: UInt64) -> Int {
            Int(truncatingIfNeeded: ((key.folded ^ domain ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        static func set(_ slot: Int, in filter: inout [UInt64]) {
            filter[slot >> 6] |= 1 << UInt64(slot & 63)
        }

        /// False when `key` is certainly not in the table of `domain`.
        func mayContain(_ key: InlineText, _ domain: UInt64) -> Bool {
            let slot = Tables.slot(key, domain, filterShift)
            return filter.withUnsafeBufferPointer { $0[slot >> 6] } & (1 << UInt64(slot & 63)) != 0
        }

        var contents: Contents {
            Contents(users: users, longUsers: longUsers, sessions: sessions, longSessions: longSessions)
        }
    }

    private let tables: Tables

    /// No revocation.
    public static let empty = RevocationSet([], at: .distantPast)

    /// Revokes every session: what a node checks against when its revocations have been stale
    /// for longer than its ``RevocationPolicy`` allows and the policy says to fail closed.
    public static let everything = RevocationSet(tables: Tables(Contents(), refusesEverything: true))

    private init(tables: Tables) {
        self.tables = tables
    }

    /// The revocations of `list` still in force at `now`; expired ones are left out. A user
    /// revoked several times keeps the latest cut-off.
    public init(_ list: some Sequence<Revocation>, at now: Date) {
        var contents = Contents()
        for revocation in list where revocation.expiresAt > now {
            contents.insert(revocation)
        }
        tables = Tables(contents, refusesEverything: false)
    }

    /// This set with `revocation` added, when it is still in force at `now`: how a node applies
    /// its own revocation before the store's next reload. Copies the tables.
    public func adding(_ revocation: Revocation, at now: Date) -> RevocationSet {
        guard revocation.expiresAt > now, !tables.refusesEverything else { return self }
        var contents = tables.contents
        contents.insert(revocation)
        return RevocationSet(tables: Tables(contents, refusesEverything: false))
    }

    /// True for ``everything``.
    public var revokesEverything: Bool { tables.refusesEverything }

    /// The number of entries: users with a cut-off plus revoked token IDs.
    public var count: Int {
        tables.users.count + tables.longUsers.count + tables.sessions.count + tables.longSessions.count
    }

    /// True when a session with these claims is revoked: its `jti` is revoked, or its user has
    /// a cut-off and the token was issued before it (or carries no `iat`, so it cannot show it
    /// was issued after).
    public func revokes(subject: String?, issuedAt: Date?, tokenID: String?) -> Bool {
        if tables.refusesEverything { return true }
        if let tokenID, revokesSession(InlineText(tokenID) ?? .none, tokenID) { return true }
        return revokesUser(subject, issuedAt: issuedAt)
    }

    /// True when the verified session is revoked (see ``revokes(subject:issuedAt:tokenID:)``).
    /// A `jti` sealed here is looked up by its inline bytes, without making a `String`.
    public func revokes(_ session: VerifiedSession) -> Bool {
        if tables.refusesEverything { return true }
        let claims = session.claims
        if !claims.shortTokenID.isAbsent {
            if tables.mayContain(claims.shortTokenID, Tables.sessionDomain), tables.sessions.contains(claims.shortTokenID) {
                return true
            }
        } else if let tokenID = claims.tokenID, revokesSession(.none, tokenID) {
            return true
        }
        return revokesUser(claims.subject, issuedAt: claims.issuedAt)
    }

    private func revokesSession(_ short: InlineText, _ tokenID: String) -> Bool {
        if !short.isAbsent { return tables.mayContain(short, Tables.sessionDomain) && tables.sessions.contains(short) }
        return !tables.longSessions.isEmpty && tables.longSessions.contains(ExactName(tokenID))
    }

    private func revokesUser(_ subject: String?, issuedAt: Date?) -> Bool {
        guard let subject else { return false }
        let cutOff: Date?
        if let key = InlineText(subject) {
            cutOff = tables.mayContain(key, Tables.userDomain) ? tables.users[key] : nil
        } else {
            cutOff = tables.longUsers.isEmpty ? nil : tables.longUsers[ExactName(subject)]
        }
        guard let cutOff else { return false }
        guard let issuedAt else { return true }
        return issuedAt < cutOff
    }

}
