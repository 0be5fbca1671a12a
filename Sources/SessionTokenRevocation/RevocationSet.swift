public import Foundation
public import SessionToken
import SessionTokenInternals

/// The revocations in force, as one immutable value: what a node checks every opened session
/// against, in memory, without waiting on a store.
///
/// Lookups are by the bytes of the user ID and the session ID, so a name that differs only by
/// Unicode equivalence never matches another user's revocation. Every byte of an ID is hashed
/// under a secret of the process, so nobody can choose IDs that pile into one bucket.
public struct RevocationSet: Sendable {
    /// The lookups: user IDs of up to 24 bytes by their inline bytes, with the cut-off in the
    /// same 32-byte slot (``UserCutOff``), longer ones by their string; the same for session
    /// IDs (every `sid` sealed here is inline).
    private struct Contents: Sendable {
        var users: Set<UserCutOff> = []
        var longUsers: [ExactName: Date] = [:]
        var sessions: Set<InlineText> = []
        var longSessions: Set<ExactName> = []

        /// A user revoked several times keeps the latest cut-off.
        mutating func insert(_ revocation: Revocation) {
            switch revocation.target {
            case .user(let subject):
                if let key = InlineText(subject) {
                    let entry = UserCutOff(user: key, cutOff: revocation.time)
                    if let held = users.firstIndex(of: entry), users[held].microseconds >= entry.microseconds { break }
                    users.update(with: entry)
                } else {
                    let key = ExactName(subject)
                    longUsers[key] = max(longUsers[key] ?? revocation.time, revocation.time)
                }
            case .session(let sessionID):
                if let key = InlineText(sessionID) {
                    sessions.insert(key)
                } else {
                    longSessions.insert(ExactName(sessionID))
                }
            }
        }
    }

    /// The tables behind one reference, so that passing the set to every open is one retain.
    private final class Tables: Sendable {
        let users: Set<UserCutOff>
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
            for entry in contents.users { Self.set(Tables.slot(entry.user, Tables.userDomain, shift), in: &filter) }
            for key in contents.sessions { Self.set(Tables.slot(key, Tables.sessionDomain, shift), in: &filter) }
            self.filter = filter
            filterShift = shift
        }

        /// Added to the hash of a user ID and of a session ID: one filter holds both tables.
        static let userDomain = UInt64.random(in: .min ... .max)
        static let sessionDomain = UInt64.random(in: .min ... .max)
        /// The filter hash's key, drawn once per process (odd multipliers, as multiply-shift
        /// hashing needs): IDs that share a slot here share one by chance alone, and not in
        /// another process.
        static let key = (
            UInt64.random(in: .min ... .max) | 1, UInt64.random(in: .min ... .max) | 1,
            UInt64.random(in: .min ... .max) | 1, UInt64.random(in: .min ... .max) | 1)

        @inline(__always)
        static func slot(_ key: InlineText, _ domain: UInt64, _ shift: UInt64) -> Int {
            Int(truncatingIfNeeded: (key.keyedHash(Tables.key) &+ domain) >> shift)
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

    /// The filter slot of a user ID in a filter of `64 - shift` bits: for the hash-flooding
    /// tests, which count how IDs spread over it.
    static func userFilterSlot(_ key: InlineText, shift: UInt64) -> Int {
        Tables.slot(key, Tables.userDomain, shift)
    }

    /// True for ``everything``.
    public var revokesEverything: Bool { tables.refusesEverything }

    /// The number of entries: users with a cut-off plus revoked session IDs.
    public var count: Int {
        tables.users.count + tables.longUsers.count + tables.sessions.count + tables.longSessions.count
    }

    /// True when a session with these claims is revoked: its session is revoked (by its `sid`,
    /// or by its `jti` when it has no `sid`: a next-auth front end's token), or its user has a
    /// cut-off and the session began before it (`auth_time`, else `iat`; a token that shows
    /// neither cannot show that it began after, and is revoked).
    public func revokes(subject: String?, sessionStart: Date?, sessionID: String?) -> Bool {
        if tables.refusesEverything { return true }
        if let sessionID, revokesSession(InlineText(sessionID) ?? .none, sessionID) { return true }
        return revokesUser(subject, sessionStart: sessionStart)
    }

    /// True when the verified session is revoked (see ``revokes(subject:sessionStart:sessionID:)``).
    /// A `sid` sealed here is looked up by its inline bytes, without making a `String`.
    public func revokes(_ session: VerifiedSession) -> Bool {
        if tables.refusesEverything { return true }
        let claims = session.claims
        if !claims.shortSessionID.isAbsent {
            if tables.mayContain(claims.shortSessionID, Tables.sessionDomain), tables.sessions.contains(claims.shortSessionID) {
                return true
            }
        } else if let id = claims.sessionID ?? claims.tokenID, revokesSession(InlineText(id) ?? .none, id) {
            return true
        }
        return revokesUser(claims.subject, sessionStart: claims.sessionStart)
    }

    private func revokesSession(_ short: InlineText, _ sessionID: String) -> Bool {
        if !short.isAbsent { return tables.mayContain(short, Tables.sessionDomain) && tables.sessions.contains(short) }
        return !tables.longSessions.isEmpty && tables.longSessions.contains(ExactName(sessionID))
    }

    private func revokesUser(_ subject: String?, sessionStart: Date?) -> Bool {
        guard let subject else { return false }
        if let key = InlineText(subject) {
            guard tables.mayContain(key, Tables.userDomain),
                let held = tables.users.firstIndex(of: UserCutOff(probing: key))
            else { return false }
            guard let sessionStart else { return true }
            return tables.users[held].precedes(sessionStart)
        }
        guard !tables.longUsers.isEmpty, let cutOff = tables.longUsers[ExactName(subject)] else { return false }
        guard let sessionStart else { return true }
        return sessionStart < cutOff
    }
}
