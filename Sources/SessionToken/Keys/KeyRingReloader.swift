#if ServiceLifecycle
public import ServiceLifecycle
public import UnixSignals

#if Configuration
public import Configuration
#endif

/// Reloads a ``KeyRingProvider`` each time the process receives a signal (`SIGHUP` by
/// default), or (trait `Configuration`) each time a swift-configuration value changes: rotate
/// keys by rewriting the key file and sending the signal, with no restart and nobody signed
/// out. A swift-service-lifecycle `Service` (trait `ServiceLifecycle`, on with `Hummingbird`
/// and `Vapor`).
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
    /// What makes the ring reload.
    private enum Trigger: Sendable {
        case signals([UnixSignal])
        #if Configuration
        case configuration(ConfigReader, ConfigKey)
        #endif
    }

    private let provider: KeyRingProvider
    private let trigger: Trigger
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
        self.trigger = .signals(signals)
        self.onReload = onReload
    }

    #if Configuration
    /// A reloader that follows a swift-configuration value (trait `Configuration`): the ring is
    /// read again each time the value at `key` changes, and once when the reloader starts. Use
    /// it with a reloading provider (`ReloadingFileProvider`, swift-configuration's trait
    /// `Reloading`) and ``KeyRingSource/configuration(_:key:)``.
    ///
    /// - Parameters:
    ///   - provider: The provider to reload; its source should read the same `key`.
    ///   - reader: The configuration reader to watch.
    ///   - key: The key that holds the spec, watched as a secret.
    ///   - onReload: Receives each reload's result. Its errors never hold key material.
    public init(
        _ provider: KeyRingProvider, watching reader: ConfigReader, key: ConfigKey,
        onReload: @escaping @Sendable (Result<KeyRing, SessionTokenError>) -> Void = { _ in }
    ) {
        self.provider = provider
        self.trigger = .configuration(reader, key)
        self.onReload = onReload
    }
    #endif

    /// Waits for the trigger and reloads on each, until the task is cancelled or the service
    /// group shuts down gracefully.
    public func run() async throws {
        switch trigger {
        case .signals(let signals):
            for await _ in await UnixSignalsSequence(trapping: signals).cancelOnGracefulShutdown() {
                reload()
            }
        #if Configuration
        case .configuration(let reader, let key):
            try await reader.watchString(forKey: key, isSecret: true) { updates in
                for await _ in updates.cancelOnGracefulShutdown() { reload() }
            }
        #endif
        }
    }

    private func reload() {
        onReload(Result { () throws(SessionTokenError) in try provider.reload() })
    }
}
#endif
