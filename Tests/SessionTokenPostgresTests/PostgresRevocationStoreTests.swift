#if PostgreSQL
import Foundation
import PostgresNIO
import SessionToken
import SessionTokenTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

@testable import SessionTokenPostgres
import SessionTokenRevocation

/// The PostgreSQL store against a real server on loopback (`make test-postgres` starts a
/// throw-away cluster): two nodes with connections of their own, push propagation, a server
/// restart mid-run, bad rows, the CLI.
final class PostgresRevocationStoreTests: XCTestCase {
    private var url = ""
    private var password = ""

    override func setUp() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["SESSION_TOKEN_PG_URL"], let password = environment["PGPASSWORD"] else {
            if environment["SESSION_TOKEN_PG_REQUIRED"] == "1" { XCTFail("SESSION_TOKEN_PG_URL is not set") }
            throw XCTSkip("no PostgreSQL server: run make test-postgres")
        }
        self.url = url
        self.password = password
        let store = try node()
        try await store.createTable()
        await store.close()
        try await raw("DELETE FROM session_token_revocations")
    }

    private func node() throws -> PostgresRevocationStore {
        try PostgresRevocationStore(url: url, password: password)
    }

    private func sealer() throws -> SessionSealer {
        try SessionSealer(keys: KeyRing(primary: SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))))
    }

    private func raw(_ query: PostgresQuery) async throws {
        guard let components = URLComponents(string: url), let host = components.host else { return XCTFail("bad url") }
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: host, port: components.port ?? 5432, username: components.user ?? "sessions",
                password: password, database: "sessions", tls: .disable),
            id: 9, logger: Logger(label: "test"))
        defer { Task { try? await connection.close() } }
        try await connection.query(query, logger: Logger(label: "test"))
    }

    /// Stops or starts the test cluster's server through its script. `system` rather than
    /// `Process`: the test runs on the concurrency pool, where waiting for a `Process` hung.
    private func serverControl(_ action: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let script = environment["SESSION_TOKEN_PG_CTL"] ?? "", folder = environment["SESSION_TOKEN_PG_DIR"] ?? ""
        let status = system("bash '\(script)' \(action) '\(folder)'")
        XCTAssertEqual(status, 0, "\(action) failed")
    }

    /// Waits until `condition` holds, up to `timeout` seconds; returns the seconds it took.
    private func waitUntil(timeout: Double, _ condition: () -> Bool) async throws -> Double? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(timeout) {
            if condition() { return Self.seconds(ContinuousClock.now - start) }
            try await Task.sleep(for: .microseconds(200))
        }
        return condition() ? timeout : nil
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func testARevocationOnOneNodeIsRefusedByTheOtherWithinASecond() async throws {
        let sealer = try sealer()
        let policy = RevocationPolicy(reloadInterval: .seconds(3600))  // push only: no periodic reload helps
        let a = RevocationService(store: try node(), sealer: sealer, policy: policy)
        let b = RevocationService(store: try node(), sealer: sealer, policy: policy)
        try await a.start()
        try await b.start()
        let running = [Task { await a.run() }, Task { await b.run() }]
        defer { running.forEach { $0.cancel() } }
        // b listens once its first (post-LISTEN) reload has run.
        _ = try await waitUntil(timeout: 5) { b.list.loadedAt.map { Date().timeIntervalSince($0) < 4 } ?? false }
        try await Task.sleep(for: .milliseconds(300))

        var latencies: [Double] = []
        for index in 0..<1000 {
            let tokenID = "propagation-\(index)"
            let start = ContinuousClock.now
            try await a.revokeSession(tokenID)
            let seen = try await waitUntil(timeout: 2) {
                b.current.revokes(subject: nil, sessionStart: nil, sessionID: tokenID)
            }
            guard seen != nil else { return XCTFail("revocation \(index) did not reach the other node in 2 s") }
            latencies.append(Self.seconds(ContinuousClock.now - start))
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2], p99 = latencies[latencies.count * 99 / 100]
        print(String(format: "propagation over 1000 revocations: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            p50 * 1000, p99 * 1000, latencies.last! * 1000))
        XCTAssertLessThan(p99, 1.0, "p99 of the write-to-refusal time must be under a second")
        XCTAssertEqual(b.current.count, 1000)
    }

    func testARestartMidRunLosesNothingAndRefusesNoValidSession() async throws {
        let sealer = try sealer()
        let events = EventLog()
        let policy = RevocationPolicy(reloadInterval: .seconds(3600))
        let a = RevocationService(store: try node(), sealer: sealer, policy: policy)
        let b = RevocationService(store: try node(), sealer: sealer, policy: policy, onEvent: events.record)
        try await a.start()
        try await b.start()
        let running = [Task { await a.run() }, Task { await b.run() }]
        defer { running.forEach { $0.cancel() } }
        try await Task.sleep(for: .milliseconds(500))

        let valid = try sealer.seal(subject: "valid-user", at: Date().addingTimeInterval(-60)).token
        for index in 0..<20 { try await a.revokeSession("before-\(index)") }
        _ = try await waitUntil(timeout: 3) { b.current.count == 20 }
        XCTAssertEqual(b.current.count, 20)

        try serverControl("stop-server")
        do {
            try await a.revokeSession("while-down")
            XCTFail("a revocation while the store is down must fail, not be reported as done")
        } catch {
            guard case .unavailable = error else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(a.current.revokes(subject: nil, sessionStart: nil, sessionID: "while-down"))
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(b.current.count, 20, "the node keeps serving from its last set")
        XCTAssertNoThrow(try sealer.open(valid, revocations: b.current))

        try serverControl("start-server")
        // Written at once, while b's listener is still waiting to reconnect (it retries each
        // second): the notifications are lost, the reload after LISTEN finds the rows.
        var written = 0
        for index in 0..<50 {
            do {
                try await a.revokeSession("after-\(index)")
                written += 1
            } catch {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        XCTAssertGreaterThan(written, 40, "the writer reconnects")
        let caughtUp = try await waitUntil(timeout: 10) { b.current.count == 20 + written }
        XCTAssertNotNil(caughtUp, "b has \(b.current.count) of \(20 + written) revocations after the restart")
        for index in 0..<20 { XCTAssertTrue(b.current.revokes(subject: nil, sessionStart: nil, sessionID: "before-\(index)")) }
        XCTAssertNoThrow(try sealer.open(valid, revocations: b.current), "no valid session refused after recovery")
        let all = events.all
        let lost = all.firstIndex { if case .watchFailed = $0 { true } else { false } }
        XCTAssertNotNil(lost, "the loss was reported")
        XCTAssertTrue(all[(lost ?? all.count)...].contains { if case .reloaded = $0 { true } else { false } },
            "listening again was followed by a full reload")
    }

    func testConcurrentCallsOnANewStoreShareItsPool() async throws {
        let store = try node()
        let sealer = try sealer()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { try await store.revoke(.session("concurrent-\(index)", at: Date(), retainedFor: sealer.maxTokenAge)) }
                group.addTask { _ = try await store.revocations(at: Date()) }
            }
            try await group.waitForAll()
        }
        let stored = try await store.revocations(at: Date())
        XCTAssertEqual(stored.revocations.count, 20)
        await store.close()
    }

    func testNodesStartedTogetherAllCreateTheTable() async throws {
        // Three nodes of the example started at once failed here: two found the table missing,
        // both created it, one hit a catalog's unique index and refused to start.
        for round in 0..<3 {
            try await raw("DROP TABLE IF EXISTS session_token_revocations")
            let stores = try (0..<6).map { _ in try node() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.createTable() } }
                try await group.waitForAll()
            }
            let sealer = try sealer()
            try await stores[0].revoke(.session("after-race-\(round)", at: Date(), retainedFor: sealer.maxTokenAge))
            let stored = try await stores[5].revocations(at: Date())
            XCTAssertEqual(stored.revocations.count, 1, "round \(round)")
            for store in stores { await store.close() }
        }
    }

    func testUnreadableRowsAreSkippedAndCounted() async throws {
        let store = try node()
        try await store.revoke(.session("good", at: Date(), retainedFor: try sealer().maxTokenAge))
        let later = Date().addingTimeInterval(3600).timeIntervalSince1970
        try await raw("INSERT INTO session_token_revocations VALUES ('group', 'admins', 1, \(later))")
        try await raw("INSERT INTO session_token_revocations VALUES ('user', '', 1, \(later))")
        try await raw("INSERT INTO session_token_revocations VALUES ('session', 'backwards', \(later + 1), \(later))")
        try await raw("INSERT INTO session_token_revocations VALUES ('user', 'nan', 'NaN', \(later))")
        let stored = try await store.revocations(at: Date())
        XCTAssertEqual(stored.revocations.map(\.value), ["good"])
        XCTAssertEqual(stored.unreadable, 4)
    }

    func testPurgeAndTheLaterCutOff() async throws {
        let store = try node()
        let sealer = try sealer()
        let now = Date()
        try await store.revoke(.user("alice", before: now, retainedFor: sealer.maxTokenAge))
        try await store.revoke(.user("alice", before: now.addingTimeInterval(-60), retainedFor: sealer.maxTokenAge))
        try await store.revoke(.user("old", before: now.addingTimeInterval(-sealer.maxTokenAge - 1), retainedFor: sealer.maxTokenAge))
        let stored = try await store.revocations(at: now)
        XCTAssertEqual(stored.revocations.map(\.value), ["alice"])
        XCTAssertEqual(stored.revocations.first?.time.timeIntervalSince1970 ?? 0, now.timeIntervalSince1970, accuracy: 1e-3)
        let purged = try await store.purge(at: now)
        XCTAssertEqual(purged, 1)
        let again = try await store.purge(at: now)
        XCTAssertEqual(again, 0)
    }

    /// A store on a `PostgresClient` the caller runs, as in a service group: it works while
    /// the client runs, and once the client stops (or while the server cannot be reached) a
    /// query is refused as unavailable at its deadline, not after the pool's own waits.
    func testAStoreOnTheCallersClientAnswersWithinItsDeadline() async throws {
        guard let components = URLComponents(string: url), let host = components.host else { return XCTFail("bad url") }
        let client = PostgresClient(configuration: .init(
            host: host, port: components.port ?? 5432, username: components.user ?? "sessions", password: password,
            database: "sessions", tls: .disable))
        let running = Task { await client.run() }
        let store = PostgresRevocationStore(client: client, queryTimeout: .milliseconds(800))
        let sealer = try sealer()
        try await store.revoke(.user("client-user", before: Date(), retainedFor: sealer.maxTokenAge))
        let stored = try await store.revocations(at: Date())
        XCTAssertEqual(stored.revocations.map(\.target), [.user("client-user")])
        running.cancel()
        await running.value

        let unreachable = PostgresClient(configuration: .init(
            host: "127.0.0.1", port: 1, username: "sessions", password: "x", database: "sessions", tls: .disable))
        let trying = Task { await unreachable.run() }
        defer { trying.cancel() }
        let refusing = PostgresRevocationStore(client: unreachable, queryTimeout: .milliseconds(500))
        let began = ContinuousClock.now
        do {
            _ = try await refusing.revocations(at: Date())
            XCTFail("an unreachable server must be refused")
        } catch {
            guard case .unavailable = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(ContinuousClock.now - began, .seconds(3), "refused at its deadline, not the pool's")
    }

    func testAStoreThatCannotBeReachedIsUnavailableAndRefusesToStart() async throws {
        let store = try PostgresRevocationStore(url: "postgres://sessions@127.0.0.1:1/sessions", password: "x")
        let service = RevocationService(store: store, sealer: try sealer())
        do {
            try await service.start()
            XCTFail("start must refuse without the store")
        } catch {
            guard case .unavailable = error else { return XCTFail("\(error)") }
        }
        let wrong = try PostgresRevocationStore(url: url, password: "wrong-password")
        do {
            _ = try await wrong.revocations(at: Date())
            XCTFail("a wrong password must fail")
        } catch {
            XCTAssertFalse("\(error)".contains("wrong-password"))
        }
    }

    func testNotificationPayloadsNameARowAndForeignOnesNameNone() throws {
        let sealer = try sealer()
        let now = Date(timeIntervalSince1970: 1_800_000_000.25)
        for revocation in [Revocation.user("alice\twith a tab", before: now, retainedFor: sealer.maxTokenAge),
            .session(String(repeating: "j", count: Revocation.maxValueBytes), at: now, retainedFor: sealer.maxTokenAge)] {
            let payload = PostgresRevocationStore.payload(revocation)
            XCTAssertLessThan(payload.utf8.count, 8000, "PostgreSQL's payload limit")
            XCTAssertEqual(PostgresRevocationStore.hint(fromPayload: payload),
                PostgresRevocationStore.Hint(kind: revocation.kind, value: revocation.value))
        }
        for foreign in ["", "hello", "user", "user\t", "group\tadmins", "\talice",
            "session\t" + String(repeating: "j", count: Revocation.maxValueBytes + 1)] {
            XCTAssertNil(PostgresRevocationStore.hint(fromPayload: foreign), foreign)
        }
    }

    /// PostgreSQL has no privilege on channels: a role with no right on the table can still
    /// `NOTIFY`. The security review signed a user out of every node that way and made a node
    /// reload 200 times. Now a notification only names a row, which the listener reads.
    func testANotifyFromARoleWithoutRightsSignsNobodyOutAndCostsAtMostAReloadASecond() async throws {
        let sealer = try sealer()
        let events = EventLog()
        let listener = RevocationService(
            store: try node(), sealer: sealer, policy: RevocationPolicy(reloadInterval: .seconds(3600)), onEvent: events.record)
        try await listener.start()
        let running = Task { await listener.run() }
        defer { running.cancel() }
        _ = try await waitUntil(timeout: 5) { events.all.contains { if case .reloaded = $0 { true } else { false } } }
        try await Task.sleep(for: .milliseconds(300))
        let reloadsBefore = events.all.filter { if case .reloaded = $0 { true } else { false } }.count

        // The intruder can connect, cannot read the table, and notifies.
        try await asIntruder { connection in
            do {
                try await connection.query("SELECT count(*) FROM session_token_revocations", logger: Logger(label: "test"))
                XCTFail("the intruder must have no right on the table")
            } catch {}
            let started = ContinuousClock.now
            // The old payload format and the new one, naming a user, and junk.
            try await connection.query(
                "SELECT pg_notify('session_token_revocations', \("user\t4102444800\t4102444800\tuser-ada"))",
                logger: Logger(label: "test"))
            try await connection.query(
                "SELECT pg_notify('session_token_revocations', \("user\tuser-ada"))", logger: Logger(label: "test"))
            for index in 0..<200 {
                try await connection.query(
                    "SELECT pg_notify('session_token_revocations', \("junk-\(index)"))", logger: Logger(label: "test"))
            }
            try await Task.sleep(for: .milliseconds(2_500))
            let elapsed = ContinuousClock.now - started
            let reloads = events.all.filter { if case .reloaded = $0 { true } else { false } }.count - reloadsBefore
            XCTAssertLessThanOrEqual(reloads, Int(elapsed.components.seconds) + 1, "\(reloads) reloads in \(elapsed)")
        }
        let ada = try sealer.seal(subject: "user-ada", at: Date().addingTimeInterval(-60)).token
        XCTAssertNoThrow(try sealer.open(ada, revocations: listener.current), "a forged notification signs nobody out")
        XCTAssertEqual(listener.current.count, 0)

        // A real revocation, written by a node with rights, still arrives through its hint.
        let writer = RevocationService(store: try node(), sealer: sealer)
        try await writer.revokeUser("user-ada")
        let seen = try await waitUntil(timeout: 2) { (try? sealer.open(ada, revocations: listener.current)) == nil }
        XCTAssertNotNil(seen, "the named row was read and applied")
    }

    /// Runs `body` on a connection of the role `intruder`, which may connect and has no rights.
    private func asIntruder(_ body: (PostgresConnection) async throws -> Void) async throws {
        guard let components = URLComponents(string: url), let host = components.host else { return XCTFail("bad url") }
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: host, port: components.port ?? 5432, username: "intruder",
                password: password, database: "sessions", tls: .disable),
            id: 10, logger: Logger(label: "test"))
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    func testAddressesWithAPasswordOrAnotherSchemeAreRefused() {
        for address in ["postgres://u:secret@127.0.0.1/db", "mysql://127.0.0.1/db", "postgres:///db", "not a url"] {
            XCTAssertThrowsError(try PostgresRevocationStore(url: address, password: nil)) {
                guard case .unsupportedURL(let reason) = $0 as? RevocationStoreError else { return XCTFail("\($0)") }
                XCTAssertFalse(reason.contains("secret"))
            }
        }
    }

    func testTheCommandLineRevokesOnPostgreSQL() throws {
        let keys = "k1:" + String(repeating: "A", count: 42) + "E"
        let environment = ["SESSION_TOKEN_KEYS": keys, "PGPASSWORD": password]
        let now = String(Int(Date().timeIntervalSince1970))
        let alice = try CLI.run(["seal", "--user", "alice", "--now", now], environment: environment).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let bob = try CLI.run(["seal", "--user", "bob", "--now", now], environment: environment).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let revoked = try CLI.run(["revoke", "--store", url, "--user", "alice", "--now", String(Int(now)! + 5)], environment: environment)
        XCTAssertEqual(revoked.status, 0, revoked.stderr)
        let refused = try CLI.run(["open", "--revocations", url, "--now", String(Int(now)! + 10), alice], environment: environment)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "revoked\n")
        let opened = try CLI.run(["open", "--revocations", url, "--now", String(Int(now)! + 10), bob], environment: environment)
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let listed = try CLI.run(["revocations", "--store", url], environment: environment)
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 1)
        let noPassword = try CLI.run(["revocations", "--store", url], environment: ["PGPASSWORD": "wrong"])
        XCTAssertEqual(noPassword.status, 2)
        XCTAssertFalse(noPassword.stderr.contains("wrong"))
    }
}
#endif
