#if Metrics
import Foundation
import Logging
import MetricsTestKit
import SessionToken
import SessionTokenHTTP
import SessionTokenMetrics
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// The metrics and log lines, through the request session and a revocation service, read
/// back from swift-metrics' own test backend.
final class SessionMetricsTests: XCTestCase {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func testOpensAreCountedByOutcomeAndOKByKey() async throws {
        let metrics = TestMetrics()
        let clock = TestClock(Self.start)
        let spec = MutableSpec(Fixture.key1)
        let keys = try KeyRingProvider(source: .custom { spec.value })
        let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
        let sessions = SessionConfiguration(
            keys: keys, clock: { clock.now }, revocations: revocations, onEvent: SessionMetrics(factory: metrics).record)
        let name = sessions.policy.session.name
        func cookie(_ subject: String) throws -> String {
            let request = sessions.open(cookieHeader: nil)
            try request.signIn(subject: subject)
            return String(request.responseSetCookies()[0].prefix { $0 != ";" })
        }
        func opens(_ outcome: String) -> Int64 {
            metrics.counterTotal(label: "session_token_opens_total", dimensions: [("outcome", outcome)])
        }
        let alice = try cookie("alice"), bob = try cookie("bob")
        XCTAssertEqual(metrics.counterTotal(label: "session_token_seals_total", dimensions: [("key_id", "k1"), ("reason", "sign_in")]), 2)

        _ = sessions.open(cookieHeader: alice)
        _ = sessions.open(cookieHeader: nil)  // no session cookie: nothing opened, nothing counted
        _ = sessions.open(cookieHeader: "\(name)=not-a-token")
        let otherRing = try SessionSealer(keys: KeyRing(spec: Fixture.key2)).seal(subject: "mallory", at: Self.start).token
        _ = sessions.open(cookieHeader: "\(name)=\(otherRing)")
        XCTAssertEqual(opens("ok"), 1)
        XCTAssertEqual(opens("invalid"), 2, "an unknown key counts as invalid")
        XCTAssertEqual(metrics.counterTotal(label: "session_token_opens_ok_by_key_total", dimensions: [("key_id", "k1")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_opens_ok_by_key_total", dimensions: [("key_id", "k2")]), 0)
        XCTAssertEqual(metrics.counters(label: "session_token_opens_ok_by_key_total").count, 1, "bounded by the ring")

        clock.now = Self.start.addingTimeInterval(1)
        try await revocations.revokeUser("bob")
        _ = sessions.open(cookieHeader: bob)
        XCTAssertEqual(opens("revoked"), 1)

        // Rotation: k2 becomes primary; alice's k1 token is re-issued under k2 once due.
        spec.value = "\(Fixture.key2),\(Fixture.key1)"
        try keys.reload()
        clock.now = Self.start.addingTimeInterval(2 * 86_400)
        await revocations.reload()  // a node whose set is stale would re-issue nothing
        _ = sessions.open(cookieHeader: alice)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_opens_ok_by_key_total", dimensions: [("key_id", "k1")]), 2)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_seals_total", dimensions: [("key_id", "k2"), ("reason", "reissue")]), 1)

        clock.now = Self.start.addingTimeInterval(31 * 86_400)
        _ = sessions.open(cookieHeader: alice)
        XCTAssertEqual(opens("expired"), 1)
        clock.now = Self.start.addingTimeInterval(3600)
        let future = try cookie("carol")
        clock.now = Self.start
        _ = sessions.open(cookieHeader: future)
        XCTAssertEqual(opens("not_yet_valid"), 1)
    }

    func testTheReadmeSnippetCountsThroughTheBootstrappedFactory() async throws {
        let keys = try KeyRingProvider(source: .custom { Fixture.key1 })
        let store = InMemoryRevocationStore()
        // --- article begins
        let revocations = RevocationService(store: store, sealer: keys.sealer, onEvent: RevocationMetrics().record)
        let sessions = SessionConfiguration(keys: keys, revocations: revocations, onEvent: SessionMetrics().record)
        // --- article ends
        try await revocations.start()
        let request = sessions.open(cookieHeader: nil)
        try request.signIn(subject: "alice")
        XCTAssertEqual(sessions.open(cookieHeader: cookieHeader(from: request.responseSetCookies())).subject, "alice")
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionTokenMetrics/Docs.docc/Operations.md", of: #filePath, begin: "// --- article begins", end: "// --- article ends", importing: "SessionTokenMetrics"),
            "Operations.md must show this test's snippet exactly as it runs")
    }

    func testAnAESGCMKeyNearItsNonceBudgetIsLoggedOnceNamingOnlyItsID() throws {
        try XCTSkipUnless(TokenEncryption.aes256GCM.isAvailable, "no AES-256-GCM on this CPU")
        let lines = LogCapture()
        let logger = Logger(label: "test") { _ in lines }
        let metrics = SessionMetrics(factory: TestMetrics(), logger: logger, nonceWarningThreshold: 3)
        let gcm = try SessionKey(id: "g1", bytes: (0..<32).map { UInt8($0) }, encryption: .aes256GCM)
        let chacha = try SessionKey(id: "c1", bytes: (0..<32).map { UInt8($0) })
        for _ in 0..<5 { metrics.record(.sealed(by: chacha, reissue: false)) }
        XCTAssertEqual(lines.messages, [], "XChaCha20's 192-bit nonces have no such budget")
        metrics.record(.sealed(by: gcm, reissue: false))
        metrics.record(.sealed(by: gcm, reissue: true))
        XCTAssertEqual(lines.messages, [])
        metrics.record(.sealed(by: gcm, reissue: false))
        metrics.record(.sealed(by: gcm, reissue: false))
        XCTAssertEqual(lines.messages.count, 1)
        XCTAssertTrue(lines.messages[0].contains("key_id=g1"), lines.messages[0])
        XCTAssertFalse(lines.messages[0].contains(gcm.exportBase64URL()))
    }

    func testRevocationEventsBecomeMetricsAndLinesWithoutUserIDs() {
        let metrics = TestMetrics()
        let lines = LogCapture()
        let events = RevocationMetrics(factory: metrics, logger: Logger(label: "test") { _ in lines })
        events.record(.reloaded(count: 12, unreadable: 0))
        events.record(.reloaded(count: 13, unreadable: 2))
        events.record(.reloadFailed(.unavailable("connection refused")))
        events.record(.watchFailed(.unavailable("the notification connection closed")))
        events.record(.stale(seconds: 301, failingClosed: true))
        events.record(.revoked(.user("alice@example.com")))
        events.record(.revoked(.session("jti-1")))
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocation_reloads_total", dimensions: [("result", "ok")]), 2)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocation_reloads_total", dimensions: [("result", "failed")]), 1)
        XCTAssertEqual(try metrics.expectGauge("session_token_revocations").lastValue, 13)
        XCTAssertNotNil(try metrics.expectGauge("session_token_revocation_loaded_at_seconds").lastValue)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocation_unreadable_rows_total"), 2)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocation_watch_failures_total"), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocation_stale_total", dimensions: [("failing_closed", "true")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocations_written_total", dimensions: [("kind", "user")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_revocations_written_total", dimensions: [("kind", "session")]), 1)
        XCTAssertEqual(lines.levels, [.warning, .warning, .warning, .error], "debug lines are below the default level")
        XCTAssertFalse(lines.messages.joined().contains("alice"))
        XCTAssertFalse(lines.messages.joined().contains("jti-1"))
    }
}

/// A swift-log handler that keeps each line and its metadata.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { lines.append((event.level, "\(event.message) \(fields)")) }
    }
    var messages: [String] { lock.withLock { lines.map(\.1) } }
    var levels: [Logger.Level] { lock.withLock { lines.map(\.0) } }
}
#endif
