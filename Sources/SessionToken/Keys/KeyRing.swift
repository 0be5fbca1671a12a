public import struct Foundation.Date
public import struct Foundation.TimeInterval
import SessionTokenInternals

/// The keys a service seals and opens tokens with: exactly one primary key seals, every
/// accepted key opens, and retired IDs are known but refused. Tokens name their key by ID
/// (`kid`), so opening looks up one key and never tries several.
///
/// An immutable value: share one ring across any number of tasks; opening takes no lock.
/// Rotation operations (``adding(_:)``, ``promoting(_:at:)``, ``retiring(_:at:maxTokenAge:force:)``,
/// ``removing(_:)``) return new rings and leave this one as it is.
public struct KeyRing: Sendable {
    /// Most entries (keys and retired IDs) a ring holds.
    public static let maxKeys = 64

    struct Entry: Sendable {
        let key: SessionKey
        /// When this key stopped being the primary, if known: the last moment it sealed.
        let stoppedSealingAt: Date?
    }

    /// The keys that open tokens; `entries[0]` is the primary.
    let entries: [Entry]
    /// IDs that are known and refused.
    let retiredIDs: [String]
    /// Looked up by bytes (``ExactName``): a header's `kid` that only canonically equals an ID
    /// names no key.
    private let indexByID: [ExactName: Int]
    /// The keys' header segments, in `entries`' order, and the index opening finds keys by.
    let headerIndex: HeaderIndex
    /// True when some key is bound to A256GCM: only then does opening try the 16-character
    /// nonce split, so a ring of XC20P keys rejects malformed tokens exactly as fast as before.
    let hasAESGCMKey: Bool

    /// Creates a ring.
    ///
    /// - Parameters:
    ///   - primary: The key that seals new tokens (and opens them).
    ///   - accepted: Further keys that open tokens but seal none.
    /// - Throws: ``SessionTokenError/configuration(_:)`` when two keys share an ID or bytes, or
    ///   there are more than ``maxKeys`` keys.
    public init(primary: SessionKey, accepted: [SessionKey] = []) throws(SessionTokenError) {
        try self.init(
            entries: ([primary] + accepted).map { ($0, nil) }, retiredIDs: [])
    }

    init(entries: [(key: SessionKey, stoppedSealingAt: Date?)], retiredIDs: [String]) throws(SessionTokenError) {
        guard !entries.isEmpty else { throw .configuration("a key ring needs a primary key") }
        guard entries.count + retiredIDs.count <= Self.maxKeys else {
            throw .configuration("a key ring holds at most \(Self.maxKeys) keys and retired IDs")
        }
        guard entries[0].stoppedSealingAt == nil else {
            throw .configuration("the primary key cannot have stopped sealing")
        }
        // Errors name keys by position (the primary is 1, retired IDs follow the keys), never
        // by ID: a key pasted where an ID belongs would otherwise be echoed into a log.
        var indexByID: [ExactName: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if let earlier = indexByID.updateValue(index, forKey: ExactName(entry.key.id)) {
                throw .configuration("keys \(earlier + 1) and \(index + 1) have the same ID")
            }
            for (position, earlier) in entries[..<index].enumerated() where earlier.key.hasSameBytes(as: entry.key) {
                throw .configuration("keys \(position + 1) and \(index + 1) hold the same bytes")
            }
        }
        var retiredSeen: Set<ExactName> = []
        for (offset, id) in retiredIDs.enumerated() {
            let position = entries.count + offset + 1
            guard KeyID.isValid(id) else { throw .configuration("retired ID \(position) is malformed") }
            guard indexByID[ExactName(id)] == nil, retiredSeen.insert(ExactName(id)).inserted else {
                throw .configuration("retired ID \(position) repeats an ID the ring already holds")
            }
        }
        let built = entries.map { Entry(key: $0.key, stoppedSealingAt: $0.stoppedSealingAt) }
        self.entries = built
        self.retiredIDs = retiredIDs
        self.indexByID = indexByID
        self.headerIndex = HeaderIndex(keys: built.map { ($0.key.id, $0.key.encryption) })
        self.hasAESGCMKey = built.contains { $0.key.encryption == .aes256GCM }
    }

    /// The key that seals new tokens.
    public var primary: SessionKey { entries[0].key }

    /// Every key that opens tokens, the primary first.
    public var keys: [SessionKey] { entries.map(\.key) }

    /// The IDs the ring knows as retired.
    public var retiredKeyIDs: [String] { retiredIDs }

    /// The key with this ID, if the ring holds one that opens tokens.
    public func key(id: String) -> SessionKey? {
        indexByID[ExactName(id)].map { entries[$0].key }
    }

    /// The state of the key with this ID, or nil for an ID the ring does not know.
    public func state(of id: String) -> KeyState? {
        if let index = indexByID[ExactName(id)] { return index == 0 ? .primary : .accepted }
        return isRetired(id) ? .retired : nil
    }

    /// When the key with this ID stopped being the primary, if the ring knows it.
    public func stoppedSealing(_ id: String) -> Date? {
        indexByID[ExactName(id)].flatMap { entries[$0].stoppedSealingAt }
    }

    /// The position of the key with this ID in ``keys``.
    func index(ofID id: String) -> Int? { indexByID[ExactName(id)] }

    private func isRetired(_ id: String) -> Bool { retiredIDs.contains { ExactName.same($0, id) } }
}

// MARK: - Rotation

extension KeyRing {
    private var entryPairs: [(key: SessionKey, stoppedSealingAt: Date?)] {
        entries.map { ($0.key, $0.stoppedSealingAt) }
    }

    /// A ring with `key` added as accepted: it opens tokens everywhere before anyone seals
    /// with it. The first step of a rotation.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` when the ID is already known (retired
    ///   IDs included) or another key holds the same bytes.
    public func adding(_ key: SessionKey) throws(SessionTokenError) -> KeyRing {
        try KeyRing(entries: entryPairs + [(key, nil)], retiredIDs: retiredIDs)
    }

    /// A ring where the accepted key `id` is the primary and the old primary is accepted,
    /// recorded as having stopped sealing at `now`. Promote only once every node has the key.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` when `id` is not an accepted key.
    public func promoting(_ id: String, at now: Date = Date()) throws(SessionTokenError) -> KeyRing {
        guard let index = index(ofID: id) else {
            throw .configuration("cannot promote: the ring holds no key with that ID")
        }
        guard index != 0 else { return self }
        var pairs = entryPairs
        let promoted = pairs.remove(at: index)
        pairs[0].stoppedSealingAt = now
        return try KeyRing(entries: [(promoted.key, nil)] + pairs, retiredIDs: retiredIDs)
    }

    /// A ring where the accepted key `id` is retired: its tokens are refused from now on.
    ///
    /// Retiring a key that may still have sealed live tokens would log their users out, so the
    /// ring refuses unless `maxTokenAge` has passed since the key stopped sealing (recorded by
    /// ``promoting(_:at:)`` or the `@UNIX` mark of the spec), or `force` is set.
    ///
    /// - Parameters:
    ///   - id: The key to retire; it must be accepted, not primary.
    ///   - now: The current time.
    ///   - maxTokenAge: The longest a token can be accepted after it was sealed: the sealer's
    ///     lifetime plus its leeway.
    ///   - force: Retire even when the key may still have live tokens.
    /// - Throws: ``SessionTokenError/configuration(_:)`` saying why the key cannot be retired yet.
    public func retiring(
        _ id: String, at now: Date = Date(), maxTokenAge: TimeInterval, force: Bool = false
    ) throws(SessionTokenError) -> KeyRing {
        guard let index = index(ofID: id) else {
            throw .configuration("cannot retire: the ring holds no key with that ID")
        }
        guard index != 0 else {
            throw .configuration("cannot retire the primary key: promote another key first")
        }
        // From here `id` is the ID of a key the ring holds, which every token it sealed carries:
        // naming it cannot echo a key pasted where an ID belongs, as the initialiser's errors could.
        if !force {
            guard let stopped = entries[index].stoppedSealingAt else {
                throw .configuration(
                    "cannot retire key \(id) safely: when it stopped sealing is not known (use force after checking)")
            }
            let safeFrom = stopped.addingTimeInterval(maxTokenAge)
            guard now >= safeFrom else {
                throw .configuration(
                    "cannot retire key \(id) before \(TimeText.describe(safeFrom)): tokens it sealed may still be live")
            }
        }
        var pairs = entryPairs
        pairs.remove(at: index)
        return try KeyRing(entries: pairs, retiredIDs: retiredIDs + [id])
    }

    /// A ring that forgets the retired ID `id`. Only retired IDs can be removed: retire a key
    /// first, so that removing never cuts off live tokens.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` when `id` is not a retired ID.
    public func removing(_ id: String) throws(SessionTokenError) -> KeyRing {
        guard isRetired(id) else {
            throw .configuration("cannot remove: only retired IDs can be removed, and the ring has no retired ID like that")
        }
        return try KeyRing(entries: entryPairs, retiredIDs: retiredIDs.filter { !ExactName.same($0, id) })
    }
}
