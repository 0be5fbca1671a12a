#if ServiceLifecycle
import ServiceLifecycle
import UnixSignals

/// Reloads a ``KeyRingProvider`` each time the process receives a signal (`SIGHUP` by
/// default): rotate keys by rewriting the key file and sending the signal, with no restart
/// and nobody signed out. A swift-service-lifecycle `Service` (trait `ServiceLifecycle`, on
/// with `Hummingbird` and `Vapor`).
///
/// ```swift
/// let keys = try KeyRingProvider(source: .file("/run/secrets/session-keys"))
/// let reloader = KeyRingReloader(keys) { result in
///     switch result {
///     case .success(let ring): logger.info("keys reloaded, primary \(ring.primary.id)")
///     case .failure(let error): logger.error("keys not reloaded, the old ring stays: \(error)")
///     }
/// }
/// let app = Application(router: router, services: [reloader])
/// ```
///
/// A reload that fails (the file is unreadable, a spec does not parse) keeps the ring in
/// force and is reported; the next signal tries again.
public struct KeyRingReloader: Service {
    private let provider: KeyRingProvider
    private let signals: [UnixSignal]
    private let onReload: @Sendable (Result<KeyRing, SessionTokenError>) -> Void

    /// A reloader.
    ///
    /// - Parameters:
    ///   - provider: The provider to reload.
    ///   - signals: The signals that trigger a reload; `SIGHUP` by default.
    ///   - onReload: Receives each reload's result: the new ring, or why the old one stays.
    ///     Its errors never hold key material.
    public init(
        _ provider: KeyRingProvider, signals: [UnixSignal] = [.sighup],
        onReload: @escaping @Sendable (Result<KeyRing, SessionTokenError>) -> Void = { _ in }
    ) {
        self.provider = provider
        self.signals = signals
        self.onReload = onReload
    }

    /// Waits for the signals and reloads on each, until the task is cancelled or the service
    /// group shuts down gracefully.
    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: signals).cancelOnGracefulShutdown() {
            onReload(Result { () throws(SessionTokenError) in try provider.reload() })
        }
    }
}
#endif
