import Atomics
import Foundation

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
    /// Where the key ring spec comes from.
    public enum Source: Sendable {
        /// An environment variable holding the spec, such as `SESSION_TOKEN_KEYS`.
        case environment(String)
        /// A file holding the spec.
        case file(String)
        /// Any other loader; it returns the spec text.
        case custom(@Sendable () throws -> String)
    }

    private final class Snapshot: AtomicReference, Sendable {
        let sealer: SessionSealer
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
        let first = try makeSealer(Self.load(source))
        self.current = ManagedAtomic(Snapshot(first))
    }

    /// The sealer for the current ring. Lock-free; take it once per request.
    public var sealer: SessionSealer { current.load(ordering: .acquiring).sealer }

    /// The current ring.
    public var keys: KeyRing { sealer.keys }

    /// Reads the source again and, if it yields a good ring, makes it current.
    ///
    /// - Returns: The ring now in force.
    /// - Throws: ``SessionTokenError/configuration(_:)`` when the new spec cannot be read or
    ///   used; the previous ring then stays in force.
    @discardableResult
    public func reload() throws(SessionTokenError) -> KeyRing {
        reloading.lock()
        defer { reloading.unlock() }
        let next = try makeSealer(Self.load(source))
        current.store(Snapshot(next), ordering: .releasing)
        return next.keys
    }

    private static func load(_ source: Source) throws(SessionTokenError) -> KeyRing {
        let spec: String
        switch source {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw .configuration("environment variable \(name) is not set")
            }
            spec = value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .configuration("cannot read key file \(path)")
            }
            spec = String(decoding: data, as: UTF8.self)
        case .custom(let loader):
            do {
                spec = try loader()
            } catch let error as SessionTokenError {
                throw error
            } catch {
                throw .configuration("the key loader failed")
            }
        }
        return try KeyRing(spec: spec)
    }
}
