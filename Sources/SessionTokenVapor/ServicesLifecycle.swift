#if Vapor
public import ServiceLifecycle
import Synchronization
public import Vapor

/// Runs swift-service-lifecycle services for as long as a Vapor application runs: Vapor's
/// adapter for `RevocationService` and `KeyRingReloader`, which
/// Hummingbird runs through `Application(services:)`.
///
/// ```swift
/// try await revocations.start()
/// app.lifecycle.use(ServicesLifecycle([revocations, KeyRingReloader(keys)]))
/// ```
///
/// The services start in a service group after the application has booted, and shut down
/// gracefully (then are awaited) when it shuts down. Vapor handles the process's signals, so
/// the group traps none (a `KeyRingReloader` traps its own).
public final class ServicesLifecycle: LifecycleHandler {
    private let services: [any Service]
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, Never>)?>(nil)

    /// A handler for `services`.
    ///
    /// - Parameter services: The services, started in this order and shut down in reverse.
    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Starts the services (the synchronous entry point Vapor calls on older boots).
    public func didBoot(_ application: Application) throws {
        start(logger: application.logger)
    }

    /// Starts the services.
    public func didBootAsync(_ application: Application) async throws {
        start(logger: application.logger)
    }

    /// Shuts the services down gracefully without waiting (the synchronous entry point).
    public func shutdown(_ application: Application) {
        guard let running = running.withLock({ $0 }) else { return }
        Task { await running.group.triggerGracefulShutdown() }
    }

    /// Shuts the services down gracefully and waits until they have returned.
    public func shutdownAsync(_ application: Application) async {
        guard let running = running.withLock({ state in defer { state = nil }; return state }) else { return }
        await running.group.triggerGracefulShutdown()
        await running.task.value
    }

    private func start(logger: Logger) {
        running.withLock { state in
            guard state == nil else { return }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: logger))
            let task = Task {
                do {
                    try await group.run()
                } catch {
                    logger.error("session services stopped: \(error)")
                }
            }
            state = (group, task)
        }
    }
}
#endif
