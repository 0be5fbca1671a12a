#if Vapor
import Foundation
import ServiceLifecycle
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenTestSupport
import SessionTokenVapor
import Vapor
import XCTVapor
import XCTest
import SessionTokenRevocation

/// Vapor's lifecycle adapter: the revocation service runs from the application's boot to its
/// shutdown, and the shutdown waits for it to return.
final class ServicesLifecycleTests: XCTestCase {
    /// A service that records that it ran and that it returned on the graceful shutdown.
    final class Probe: Service, @unchecked Sendable {
        private let lock = NSLock()
        private var state = (started: false, returned: false)
        var started: Bool { lock.withLock { state.started } }
        var returned: Bool { lock.withLock { state.returned } }
        func run() async throws {
            lock.withLock { state.started = true }
            try? await gracefulShutdown()
            lock.withLock { state.returned = true }
        }
    }

    func testTheRevocationServiceRunsFromBootToShutdown() async throws {
        let keys = try KeyRingProvider(source: .custom { Fixture.key1 })
        let store = InMemoryRevocationStore()
        var policy = RevocationPolicy()
        policy.reloadInterval = .milliseconds(50)
        let revocations = RevocationService(store: store, sealer: keys.sealer, policy: policy)
        try await revocations.start()
        let probe = Probe()

        let app = try await Application.make(.testing)
        app.lifecycle.use(ServicesLifecycle([revocations, probe]))
        let sessions = app.grouped(SessionTokenMiddleware(SessionConfiguration(keys: keys, revocations: revocations)))
        sessions.get("me") { req -> String in
            guard let subject = req.sessionToken.subject else { throw Abort(.unauthorized) }
            return subject
        }
        try await app.asyncBoot()
        let cookie = "\(CookiePolicy.default.session.name)=\(try keys.sealer.seal(subject: "ada").token)"
        try await app.test(.GET, "me", headers: ["Cookie": cookie]) { res async in XCTAssertEqual(res.status, .ok) }

        // Another node revokes; the running service applies it at its next reload.
        try await RevocationService(store: store, sealer: keys.sealer).revokeUser("ada")
        var status = HTTPStatus.ok
        for _ in 0..<100 where status == .ok {
            try await Task.sleep(for: .milliseconds(20))
            try await app.test(.GET, "me", headers: ["Cookie": cookie]) { res async in status = res.status }
        }
        XCTAssertEqual(status, .unauthorized)
        XCTAssertTrue(probe.started)
        XCTAssertFalse(probe.returned)

        try await app.asyncShutdown()
        XCTAssertTrue(probe.returned, "the shutdown waits for the services' graceful return")
    }
}
#endif
