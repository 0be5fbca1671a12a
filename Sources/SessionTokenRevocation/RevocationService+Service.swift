#if ServiceLifecycle
public import ServiceLifecycle

/// A swift-service-lifecycle `Service`: its `run()` follows the store until the task is
/// cancelled or the service group shuts down gracefully.
///
/// ```swift
/// let revocations = RevocationService(store: store, sealer: keys.sealer)
/// try await revocations.start()
/// let app = Application(router: router, services: [revocations, KeyRingReloader(keys)])
/// ```
extension RevocationService: Service {}
#endif
