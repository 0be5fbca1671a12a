#if Configuration
import Configuration
import Foundation
import ServiceLifecycle
import SessionToken
import SessionTokenTestSupport
import XCTest

/// A key ring read from swift-configuration as a secret, and reloaded when the value changes.
final class KeyRingConfigurationTests: XCTestCase {
    static let key = AbsoluteConfigKey(["session", "keys"])

    func testTheRingIsReadFromTheConfigurationAndFollowsItsChanges() async throws {
        let values = MutableInMemoryProvider(initialValues: [Self.key: ConfigValue(.string(Fixture.key1), isSecret: false)])
        let reader = ConfigReader(provider: values)
        let keys = try KeyRingProvider(source: .configuration(reader, key: "session.keys"))
        XCTAssertEqual(keys.sealer.keys.primary.id, "k1")
        let token = try keys.sealer.seal(subject: "ada").token

        let reports = Reports()
        let reloader = KeyRingReloader(keys, watching: reader, key: "session.keys") { reports.append($0) }
        let running = Task { try await reloader.run() }
        defer { running.cancel() }
        // The first report is the reload at start.
        try await reports.waitForCount(1)

        values.setValue(ConfigValue(.string("\(Fixture.key2),\(Fixture.key1)"), isSecret: false), forKey: Self.key)
        try await reports.waitForCount(2)
        XCTAssertEqual(try reports.all[1].get().primary.id, "k2")
        XCTAssertEqual(keys.sealer.keys.primary.id, "k2")
        XCTAssertEqual(try keys.sealer.open(token).subject, "ada", "a rotation signs nobody out")

        // A value that does not parse keeps the ring, and the error quotes none of it.
        values.setValue(ConfigValue(.string("k3:not-a-key"), isSecret: false), forKey: Self.key)
        try await reports.waitForCount(3)
        guard case .failure(let error) = reports.all[2] else { return XCTFail("a bad spec was accepted") }
        XCTAssertFalse("\(error)".contains("not-a-key"))
        XCTAssertEqual(keys.sealer.keys.primary.id, "k2")

        // A removed value too.
        values.setValue(nil, forKey: Self.key)
        try await reports.waitForCount(4)
        guard case .failure(let missing) = reports.all[3] else { return XCTFail("a missing spec was accepted") }
        XCTAssertEqual(missing, .configuration("configuration key session.keys is not set"))
        XCTAssertEqual(keys.sealer.keys.primary.id, "k2")
    }

    func testAMissingOrEmptyKeyIsAConfigurationErrorNamingTheKey() throws {
        let cases: [[AbsoluteConfigKey: ConfigValue]] = [[:], [Self.key: ConfigValue(.string(" \n"), isSecret: false)]]
        for initial in cases {
            let reader = ConfigReader(provider: InMemoryProvider(values: initial))
            XCTAssertThrowsError(try KeyRingSource.configuration(reader, key: "session.keys").load()) {
                XCTAssertEqual($0 as? SessionTokenError, .configuration("configuration key session.keys is not set"))
            }
        }
    }

    /// What the reloader reported, in order.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<KeyRing, SessionTokenError>] = []
        func append(_ result: Result<KeyRing, SessionTokenError>) { lock.withLock { results.append(result) } }
        var all: [Result<KeyRing, SessionTokenError>] { lock.withLock { results } }

        func waitForCount(_ count: Int) async throws {
            for _ in 0..<200 where all.count < count { try await Task.sleep(for: .milliseconds(10)) }
            XCTAssertGreaterThanOrEqual(all.count, count, "reloads reported")
        }
    }
}
#endif
