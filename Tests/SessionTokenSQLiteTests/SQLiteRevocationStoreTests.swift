import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

@testable import SessionTokenSQLite
import SessionTokenRevocation

/// The SQLite store on a real file: durable across a reopen, shared by two connections, bad
/// rows skipped, limits enforced.
final class SQLiteRevocationStoreTests: XCTestCase {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { Self.start }
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var path: String { folder.appendingPathComponent("revocations.sqlite").path }

    private func sealer() throws -> SessionSealer {
        try SessionSealer(keys: KeyRing(primary: SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))))
    }

    func testRevocationsSurviveARestart() async throws {
        let sealer = try sealer()
        let alice = try sealer.seal(subject: "alice", at: now.addingTimeInterval(-60)).token
        let bob = try sealer.seal(subject: "bob", at: now.addingTimeInterval(-60)).token
        let bobID = try XCTUnwrap(try sealer.open(bob, at: now).claims.sessionID)
        do {
            let service = RevocationService(store: try SQLiteRevocationStore(path: path), sealer: sealer, clock: { Self.start })
            try await service.start()
            try await service.revokeUser("alice")
            try await service.revokeSession(bobID)
        }
        // A new process: a new connection and a new service, nothing in memory.
        let service = RevocationService(store: try SQLiteRevocationStore(path: path), sealer: sealer, clock: { Self.start })
        try await service.start()
        XCTAssertEqual(service.current.count, 2)
        XCTAssertThrowsExactly(SessionTokenError.revoked) { try sealer.open(alice, at: self.now, revocations: service.current) }
        XCTAssertThrowsExactly(SessionTokenError.revoked) { try sealer.open(bob, at: self.now, revocations: service.current) }
        let carol = try sealer.seal(subject: "carol", at: now.addingTimeInterval(-60)).token
        XCTAssertEqual(try sealer.open(carol, at: now, revocations: service.current).subject, "carol")
        let later = try sealer.seal(subject: "alice", at: now.addingTimeInterval(1)).token
        XCTAssertEqual(try sealer.open(later, at: now.addingTimeInterval(2), revocations: service.current).subject, "alice")
    }

    func testAUserRevokedAgainKeepsTheLaterCutOff() async throws {
        let store = try SQLiteRevocationStore(path: path)
        let sealer = try sealer()
        try await store.revoke(.user("alice", before: now, retainedFor: sealer.maxTokenAge))
        try await store.revoke(.user("alice", before: now.addingTimeInterval(-3600), retainedFor: sealer.maxTokenAge))
        let stored = try await store.revocations(at: now)
        XCTAssertEqual(stored.revocations, [.user("alice", before: now, retainedFor: sealer.maxTokenAge)])
        try await store.revoke(.user("alice", before: now.addingTimeInterval(10), retainedFor: sealer.maxTokenAge))
        let again = try await store.revocations(at: now)
        XCTAssertEqual(again.revocations, [.user("alice", before: now.addingTimeInterval(10), retainedFor: sealer.maxTokenAge)])
    }

    func testPurgeDeletesOnlyExpiredRevocations() async throws {
        let store = try SQLiteRevocationStore(path: path)
        let sealer = try sealer()
        let old = Revocation.user("alice", before: now.addingTimeInterval(-sealer.maxTokenAge - 1), retainedFor: sealer.maxTokenAge)
        let current = Revocation.session("jti-2", at: now, retainedFor: sealer.maxTokenAge)
        try await store.revoke(old)
        try await store.revoke(current)
        let inForce = try await store.revocations(at: now)
        XCTAssertEqual(inForce.revocations, [current])
        let purged = try await store.purge(at: now)
        XCTAssertEqual(purged, 1)
        let again = try await store.purge(at: now)
        XCTAssertEqual(again, 0)
        let left = try await store.revocations(at: .distantPast)
        XCTAssertEqual(left.revocations, [current])
    }

    func testRowsThisLibraryDidNotWriteAreSkippedAndCounted() async throws {
        let store = try SQLiteRevocationStore(path: path)
        try await store.revoke(.session("good", at: now, retainedFor: try sealer().maxTokenAge))
        let raw = try SQLiteConnection(path: path)
        let later = now.addingTimeInterval(3600).timeIntervalSince1970
        try raw.execute(
            """
            INSERT INTO session_token_revocations VALUES ('group', 'admins', 1, \(later));
            INSERT INTO session_token_revocations VALUES ('user', '', 1, \(later));
            INSERT INTO session_token_revocations VALUES ('user', 'mallory', 'yesterday', \(later));
            INSERT INTO session_token_revocations VALUES ('user', x'00ff', 1, \(later));
            INSERT INTO session_token_revocations VALUES ('session', 'backwards', \(later + 10), \(later));
            INSERT INTO session_token_revocations VALUES ('user', CAST(x'616c69ceff' AS TEXT), 1, \(later));
            """)
        let stored = try await store.revocations(at: now)
        XCTAssertEqual(stored.revocations, [.session("good", at: now, retainedFor: try sealer().maxTokenAge)])
        // The last row is text that is not UTF-8: repaired on reading, it would revoke an ID
        // nobody wrote (`ali` and replacement characters), so it is unreadable too.
        XCTAssertEqual(stored.unreadable, 6)
    }

    func testInvalidRevocationsAreRefusedBeforeTheyAreWritten() async throws {
        let store = try SQLiteRevocationStore(path: path)
        let sealer = try sealer()
        for bad in [
            Revocation.user("", before: now, retainedFor: sealer.maxTokenAge),
            Revocation.session(String(repeating: "j", count: Revocation.maxValueBytes + 1), at: now, retainedFor: sealer.maxTokenAge),
            Revocation(target: .user("alice"), time: now, expiresAt: now.addingTimeInterval(-1)),
        ] {
            do {
                try await store.revoke(bad)
                XCTFail("\(bad) must be refused")
            } catch {
                XCTAssertEqual(error, .invalidRevocation)
            }
        }
        let longest = Revocation.session(String(repeating: "j", count: Revocation.maxValueBytes), at: now, retainedFor: sealer.maxTokenAge)
        try await store.revoke(longest)
        let stored = try await store.revocations(at: now)
        XCTAssertEqual(stored.revocations, [longest])
    }

    func testAFileThatCannotBeOpenedIsUnavailable() throws {
        XCTAssertThrowsError(try SQLiteRevocationStore(path: folder.appendingPathComponent("missing/dir/r.sqlite").path)) {
            guard case .unavailable = $0 as? RevocationStoreError else { return XCTFail("\($0)") }
        }
        let notADatabase = folder.appendingPathComponent("text.sqlite")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: notADatabase)
        XCTAssertThrowsError(try SQLiteRevocationStore(path: notADatabase.path)) {
            guard case .failed = $0 as? RevocationStoreError else { return XCTFail("\($0)") }
        }
    }

    func testAnotherConnectionsWriteIsNoticedAndReloaded() async throws {
        let sealer = try sealer()
        let here = RevocationService(store: try SQLiteRevocationStore(path: path), sealer: sealer,
            policy: RevocationPolicy(reloadInterval: .seconds(3600)))
        let elsewhere = try SQLiteRevocationStore(path: path)
        try await here.start()
        let running = Task { await here.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(100))  // the watcher has read data_version
        let alice = try sealer.seal(subject: "alice", at: Date().addingTimeInterval(-60)).token
        try await elsewhere.revoke(.user("alice", before: Date(), retainedFor: sealer.maxTokenAge))
        var refused = false
        let deadline = Date().addingTimeInterval(3)
        while !refused, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
            refused = (try? sealer.open(alice, revocations: here.current)) == nil
        }
        XCTAssertTrue(refused, "a write by another connection is in force here within the poll interval")
    }

    /// A store call waiting on another connection's write lock (SQLite's busy timeout, up to
    /// five seconds) must not hold a thread of Swift's cooperative pool: with more waiting
    /// calls than the pool has threads, other tasks still run. Before the store's own queue,
    /// every task of the process stalled until the lock was released.
    func testCallsWaitingOnALockLeaveTheCooperativePoolFree() async throws {
        let store = try SQLiteRevocationStore(path: path)
        let holder = try SQLiteConnection(path: path)
        try holder.execute("BEGIN EXCLUSIVE")
        let waiting = 4 * max(ProcessInfo.processInfo.activeProcessorCount, 2)
        let now = self.now
        let writes = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<waiting {
                    group.addTask { try await store.revoke(.session("s-\(index)", at: now, retainedFor: 3600)) }
                }
                try await group.waitForAll()
            }
        }
        try await Task.sleep(for: .milliseconds(200))  // the writes are waiting on the lock
        // Many small tasks on the pool: they finish while the writes still wait.
        let started = ContinuousClock.now
        let done = await withTaskGroup(of: Int.self) { group in
            for index in 0..<(4 * waiting) { group.addTask { await Task.yield(); return index } }
            return await group.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(done, 4 * waiting)
        XCTAssertLessThan(elapsed, .seconds(2), "tasks ran while \(waiting) store calls waited on the lock")
        try holder.execute("COMMIT")
        try await writes.value
        let stored = try await store.revocations(at: now)
        XCTAssertEqual(stored.revocations.count, waiting)
    }

    /// An ID is kept byte for byte, a NUL included: cut at the NUL, `alice\0-evil` would revoke
    /// `alice` (over-revocation) and not itself (under-revocation).
    func testAnIDWithANULByteIsKeptWhole() async throws {
        let store = try SQLiteRevocationStore(path: path)
        let sealer = try sealer()
        let written = [
            Revocation.user("alice\0-evil", before: now, retainedFor: sealer.maxTokenAge),
            Revocation.session("jti\0a", at: now, retainedFor: sealer.maxTokenAge),
            Revocation.session("jti\0b", at: now, retainedFor: sealer.maxTokenAge),
        ]
        for revocation in written { try await store.revoke(revocation) }

        // Written whole: the bytes in the file, counted by SQLite.
        var lengths: [Double] = []
        try SQLiteConnection(path: path).run(
            "SELECT length(CAST(value AS BLOB)) FROM session_token_revocations ORDER BY value"
        ) { lengths.append($0.real(0) ?? -1) }
        XCTAssertEqual(lengths, [11, 5, 5])

        // Read back whole, by another connection as another process would.
        let stored = try await SQLiteRevocationStore(path: path).revocations(at: now)
        XCTAssertEqual(stored.unreadable, 0)
        XCTAssertEqual(stored.revocations.sorted { $0.value < $1.value }, written.sorted { $0.value < $1.value })

        let set = RevocationSet(stored.revocations, at: now)
        let earlier = now.addingTimeInterval(-60)
        XCTAssertTrue(set.revokes(subject: "alice\0-evil", sessionStart: earlier, sessionID: "x"))
        XCTAssertFalse(set.revokes(subject: "alice", sessionStart: earlier, sessionID: "x"), "alice is not revoked")
        XCTAssertFalse(set.revokes(subject: "bob", sessionStart: earlier, sessionID: "jti"))
        XCTAssertTrue(set.revokes(subject: "bob", sessionStart: earlier, sessionID: "jti\0b"))
        let alice = try sealer.seal(subject: "alice", at: earlier).token
        XCTAssertEqual(try sealer.open(alice, at: now, revocations: set).subject, "alice")
        let evil = try sealer.seal(subject: "alice\0-evil", at: earlier).token
        XCTAssertThrowsExactly(SessionTokenError.revoked) { try sealer.open(evil, at: self.now, revocations: set) }

        // `alice` revoked next to it is a row of its own.
        try await store.revoke(.user("alice", before: now, retainedFor: sealer.maxTokenAge))
        let both = try await store.revocations(at: now)
        XCTAssertEqual(both.revocations.filter { $0.kind == "user" }.map(\.value).sorted(), ["alice", "alice\0-evil"])
    }

    /// Revocations say who was signed out and when: the file and the `-wal` and `-shm` files
    /// SQLite makes beside it are for the owner only, whatever the umask.
    func testTheFilesItCreatesAreForTheOwnerOnly() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try SQLiteRevocationStore(path: path)
        try await store.revoke(.user("alice", before: now, retainedFor: try sealer().maxTokenAge))
        // The store is open, so the -wal and -shm files exist.
        withExtendedLifetime(store) {
            for suffix in ["", "-wal", "-shm"] {
                var info = stat()
                XCTAssertEqual(stat(path + suffix, &info), 0, "\(suffix) exists")
                XCTAssertEqual(String(info.st_mode & 0o777, radix: 8), "600", "revocations.sqlite\(suffix)")
            }
        }
    }
}
