import Foundation
import XCTest

@testable import SessionToken

final class KeyRingProviderTests: XCTestCase {
    func testReloadFromAFileAndKeepTheOldRingOnABadSpec() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ring-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Fixture.ring.exportSpec().write(to: file, atomically: true, encoding: .utf8)
        let provider = try KeyRingProvider(source: .file(file.path)) { ring throws(SessionTokenError) in
            try SessionSealer(keys: ring, lifetime: 3600)
        }
        XCTAssertEqual(provider.keys.primary.id, "k1")
        XCTAssertEqual(provider.sealer.lifetime, 3600)
        let token = try provider.sealer.seal(subject: "u", at: Fixture.now).token

        let rotated = try Fixture.ring.promoting("k2", at: Fixture.now)
        try rotated.exportSpec().write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try provider.reload().primary.id, "k2")
        XCTAssertEqual(provider.keys.primary.id, "k2")
        XCTAssertEqual(try provider.sealer.open(token, at: Fixture.now).keyID, "k1")

        try "k1:broken".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try provider.reload())
        XCTAssertEqual(provider.keys.primary.id, "k2", "a bad spec leaves the ring in force")
        try FileManager.default.removeItem(at: file)
        XCTAssertThrowsError(try provider.reload())
        XCTAssertEqual(try provider.sealer.open(token, at: Fixture.now).keyID, "k1")
    }

    func testEnvironmentAndCustomSources() throws {
        XCTAssertThrowsError(try KeyRingProvider(source: .environment("SESSION_TOKEN_TEST_UNSET_\(UUID().uuidString.prefix(8))")))
        setenv("SESSION_TOKEN_TEST_KEYS", Fixture.ring.exportSpec(), 1)
        defer { unsetenv("SESSION_TOKEN_TEST_KEYS") }
        XCTAssertEqual(try KeyRingProvider(source: .environment("SESSION_TOKEN_TEST_KEYS")).keys.keys.count, 2)
        struct Boom: Error {}
        XCTAssertThrowsError(try KeyRingProvider(source: .custom { throw Boom() }))
    }

    func testReadersDuringReloads() async throws {
        let specs = [Fixture.ring.exportSpec(), try Fixture.ring.promoting("k2", at: Fixture.now).exportSpec()]
        let counter = ManagedCounter()
        let provider = try KeyRingProvider(source: .custom { specs[counter.next() % 2] })
        let token = try provider.sealer.seal(subject: "u", at: Fixture.now).token
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<500 { try provider.reload() }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<2000 {
                        guard try provider.sealer.open(token, at: Fixture.now).subject == "u" else {
                            throw SessionTokenError.invalid
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// A counter for the custom source above; the provider serialises reloads, so a lock suffices.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
