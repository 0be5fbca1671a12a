/// The keys a service seals and opens tokens with: exactly one primary key seals, every key
/// opens. Tokens name their key by ID (`kid`), so opening looks up one key and never tries
/// several.
///
/// An immutable value: share one ring across any number of tasks; opening takes no lock.
public struct KeyRing: Sendable {
    /// Most keys a ring holds; a spec with more entries is refused.
    public static let maxKeys = 64

    struct Entry: Sendable {
        let key: SessionKey
        /// The exact first segment this key's tokens carry (see ``ProtectedHeader``).
        let headerSegment: [UInt8]
    }

    /// `entries[0]` is the primary key.
    let entries: [Entry]
    private let indexByID: [String: Int]
    let headerIndex: HeaderIndex

    /// Creates a ring.
    ///
    /// - Parameters:
    ///   - primary: The key that seals new tokens (and opens them).
    ///   - accepted: Further keys that open tokens but seal none.
    /// - Throws: ``SessionTokenError/configuration(_:)`` when two keys share an ID or bytes, or
    ///   there are more than ``maxKeys`` keys.
    public init(primary: SessionKey, accepted: [SessionKey] = []) throws(SessionTokenError) {
        let keys = [primary] + accepted
        guard keys.count <= Self.maxKeys else {
            throw .configuration("a key ring holds at most \(Self.maxKeys) keys")
        }
        var indexByID: [String: Int] = [:]
        for (index, key) in keys.enumerated() {
            guard indexByID.updateValue(index, forKey: key.id) == nil else {
                throw .configuration("key ID \(key.id.debugDescription) appears twice")
            }
            for earlier in keys[..<index] where earlier.hasSameBytes(as: key) {
                throw .configuration("keys \(earlier.id.debugDescription) and \(key.id.debugDescription) hold the same bytes")
            }
        }
        let entries = keys.map { Entry(key: $0, headerSegment: ProtectedHeader.canonicalSegment(kid: $0.id)) }
        self.entries = entries
        self.indexByID = indexByID
        self.headerIndex = HeaderIndex(segments: entries.map(\.headerSegment))
    }

    /// The key that seals new tokens.
    public var primary: SessionKey { entries[0].key }

    /// Every key, the primary first.
    public var keys: [SessionKey] { entries.map(\.key) }

    /// The key with this ID, if the ring holds one.
    public func key(id: String) -> SessionKey? {
        indexByID[id].map { entries[$0].key }
    }

    /// The position of the key with this ID in ``keys``.
    func index(ofID id: String) -> Int? { indexByID[id] }
}
