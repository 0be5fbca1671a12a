import Atomics
import Foundation
import Synchronization

/// Holds the current key ring (as a ready ``SessionSealer``) and swaps it atomically when the
/// keys change: hot reload without a restart.
///
/// Readers (``sealer``) never take a lock: the current sealer sits behind an atomic strong
/// reference (swift-atomics), so a request loads it, uses it, and a concurrent reload can
/// neither block the request nor free the ring under it. ``reload()`` reads the source again;
/// a spec that does not parse, or a file that cannot be read, leaves the old ring in force and
/// reports the error, so a bad deploy never logs anybody out.
///
/// ```swift
/// let keys = try KeyRingProvider(source: .file("/run/secrets/session-keys"))
/// // on SIGHUP or a timer:
/// do { try keys.reload() } catch { logger.error("key reload failed: \(error)") }
/// // per request:
/// let session = try keys.sealer.open(token)
/// ```
public final class KeyRingProvider: Sendable {
    /// Where the key ring spec comes from: ``KeyRingSource``.
    public typealias Source = KeyRingSource

    private final class Snapshot: AtomicReference, Sendable {
        let sealer: SessionSealer
        /// Sealers for other purposes over the same ring, made on first use: deriving a ring's
        /// purpose keys costs two HMACs a key, too much for every request.
        let others = Mutex<[TokenPurpose: SessionSealer]>([:])
        init(_ sealer: SessionSealer) { self.sealer = sealer }
    }

    private let current: ManagedAtomic<Snapshot>
    private let source: Source
    private let makeSealer: @Sendable (KeyRing) throws(SessionTokenError) -> SessionSealer
    /// Serialises reloads against each other; readers never touch it.
    private let reloading = NSLock()

    /// Loads the ring once and keeps it.
    ///
    /// - Parameters:
    ///   - source: Where the spec comes from.
    ///   - makeSealer: Builds the sealer for a ring; use it to set lifetime, leeway and the
    ///     rest. By default, a ``SessionSealer`` with default settings.
    /// - Throws: ``SessionTokenError/configuration(_:)`` when the first load fails.
    public init(
        source: Source,
        makeSealer: @escaping @Sendable (KeyRing) throws(SessionTokenError) -> SessionSealer = {
            ring throws(SessionTokenError) in try SessionSealer(keys: ring)
        }
    ) throws(SessionTokenError) {
        self.source = source
        self.makeSealer = makeSealer
        let first = try makeSealer(source.load())
        self.current = ManagedAtomic(Snapshot(first))
    }

    /// The sealer for the current ring. Lock-free; take it once per request.
    public var sealer: SessionSealer { current.load(ordering: .acquiring).sealer }

    /// The current ring.
    public var keys: KeyRing { sealer.keys }

    /// A sealer for the current ring with the settings of ``sealer`` and tokens of `purpose`
    /// (the Vapor session driver's data, an application's own tokens). Made once per ring and
    /// purpose, then taken under a short lock.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` only where the ring's keys could not
    ///   have been made.
    public func sealer(for purpose: TokenPurpose) throws(SessionTokenError) -> SessionSealer {
        let snapshot = current.load(ordering: .acquiring)
        if snapshot.sealer.purpose == purpose { return snapshot.sealer }
        if let made = snapshot.others.withLock({ $0[purpose] }) { return made }
        let made = try snapshot.sealer.with(purpose: purpose)
        snapshot.others.withLock { $0[purpose] = made }
        return made
    }

    /// Reads the source again and, if it yields a good ring, makes it current.
    ///
    /// - Returns: The ring now in force.
    /// - Throws: ``SessionTokenError/configuration(_:)`` when the new spec cannot be read or
    ///   used; the previous ring then stays in force.
    @discardableResult
    public func reload() throws(SessionTokenError) -> KeyRing {
        reloading.lock()
        defer { reloading.unlock() }
        let next = try makeSealer(source.load())
        current.store(Snapshot(next), ordering: .releasing)
        return next.keys
    }
}
