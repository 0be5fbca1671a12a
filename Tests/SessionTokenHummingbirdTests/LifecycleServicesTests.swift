#if Hummingbird
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceLifecycle
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// The revocation service and the key-ring reloader as swift-service-lifecycle services in
/// Hummingbird's own service group: they run beside the server, and return when it shuts down
/// gracefully (a service that ignored the shutdown would hang this test at its end).
final class LifecycleServicesTests: XCTestCase {
    /// What the reloader reported, in order.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<KeyRing, SessionTokenError>] = []
        func append(_ result: Result<KeyRing, SessionTokenError>) { lock.withLock { results.append(result) } }
        var all: [Result<KeyRing, SessionTokenError>] { lock.withLock { results } }
    }

    func testRevocationsAndKeyReloadsRunInTheApplicationsServiceGroup() async throws {
        // Ignored until the reloader traps it: a signal sent before then must not end the process.
        signal(SIGHUP, SIG_IGN)
        let spec = MutableSpec(Fixture.key1)
        let keys = try KeyRingProvider(source: .custom { spec.value })
        let store = InMemoryRevocationStore()
        var policy = RevocationPolicy()
        policy.reloadInterval = .milliseconds(50)
        let revocations = RevocationService(store: store, sealer: keys.sealer, policy: policy)
        try await revocations.start()
        let otherNode = RevocationService(store: store, sealer: keys.sealer)
        let reports = Reports()
        let reloader = KeyRingReloader(keys) { reports.append($0) }

        let router = Router(context: AppContext.self)
        router.add(middleware: SessionTokenMiddleware(SessionConfiguration(keys: keys, revocations: revocations)))
        router.get("/me") { _, context -> String in
            guard let subject = context.sessionToken.subject else { throw HTTPError(.unauthorized) }
            return subject
        }
        let app = Application(router: router, services: [revocations, reloader])
        let token = try keys.sealer.seal(subject: "ada").token
        let cookie = "\(CookiePolicy.default.session.name)=\(token)"

        try await app.test(.live) { client in
            try await client.execute(uri: "/me", method: .get, headers: [.cookie: cookie]) { response in
                XCTAssertEqual(response.status, .ok)
            }
            // Another node revokes; this node's service picks it up while the server runs.
            try await otherNode.revokeUser("ada")
            var refused = false
            for _ in 0..<100 where !refused {
                try await Task.sleep(for: .milliseconds(20))
                refused = try await client.execute(uri: "/me", method: .get, headers: [.cookie: cookie]) {
                    $0.status == .unauthorized
                }
            }
            XCTAssertTrue(refused, "the running revocation service applied the other node's revocation")

            // SIGHUP reloads the ring: sent until the reloader has trapped it and reported.
            spec.value = "\(Fixture.key2),\(Fixture.key1)"
            for _ in 0..<50 where reports.all.isEmpty {
                kill(getpid(), SIGHUP)
                try await Task.sleep(for: .milliseconds(100))
            }
            XCTAssertEqual(try XCTUnwrap(reports.all.first).get().primary.id, "k2")
            XCTAssertEqual(keys.sealer.keys.primary.id, "k2")

            // A bad spec keeps the ring in force and says why, naming no key material.
            spec.value = "k3:not-a-key"
            let before = reports.all.count
            kill(getpid(), SIGHUP)
            for _ in 0..<50 where reports.all.count == before { try await Task.sleep(for: .milliseconds(20)) }
            guard case .failure(let error)? = reports.all.last else { return XCTFail("no failure reported") }
            XCTAssertFalse("\(error)".contains("not-a-key"))
            XCTAssertEqual(keys.sealer.keys.primary.id, "k2")
        }
    }
}
#endif
