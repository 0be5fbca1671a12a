import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
@testable import SessionTokenRevocation

/// ``RevocationService``: the start-up policy, this node's own revocations, staleness and
/// failing closed, and following a store.
final class RevocationServiceTests: XCTestCase {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { Self.start }
    var sealer: SessionSealer {
        get throws { try SessionSealer(keys: KeyRing(primary: SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32)))) }
    }

    private func token(_ subject: String, at time: Date) throws -> String {
        try sealer.seal(subject: subject, at: time).token
    }

    private func isRevoked(_ token: String, _ service: RevocationService, at time: Date) throws -> Bool {
        let sealer = try self.sealer
        let result = Result { () throws(SessionTokenError) in try sealer.open(token, at: time, revocations: service.current) }
        if case .failure(.revoked) = result { return true }
        return false
    }

    func testStartRefusesWithoutTheStoreUnlessThePolicySaysStartEmpty() async throws {
        let store = ControlledStore()
        await store.setDown(true)
        let events = EventLog()
        let strict = RevocationService(store: store, sealer: try sealer, clock: { Self.start }, onEvent: events.record)
        do {
            try await strict.start()
            XCTFail("the default policy must refuse to start without the store")
        } catch {
            XCTAssertEqual(error, .unavailable("down"))
        }
        let lenient = RevocationService(
            store: store, sealer: try sealer, policy: RevocationPolicy(startupFailure: .startEmpty), clock: { Self.start },
            onEvent: events.record)
        try await lenient.start()
        XCTAssertEqual(lenient.current.count, 0)
        XCTAssertNil(lenient.list.loadedAt)
        XCTAssertTrue(events.all.contains(.reloadFailed(.unavailable("down"))))

        await store.setDown(false)
        try await store.revoke(.user("alice", before: now, retainedFor: try sealer.maxTokenAge))
        let reloaded = await lenient.reload()
        XCTAssertTrue(reloaded)
        XCTAssertEqual(lenient.current.count, 1)
        XCTAssertEqual(events.all.last, .reloaded(count: 1, unreadable: 0))
    }

    func testOwnRevocationsAreInForceAtOnceAndOnlyForTheirTarget() async throws {
        let store = ControlledStore()
        let service = RevocationService(store: store, sealer: try sealer, clock: { Self.start })
        try await service.start()
        let alice = try token("alice", at: now.addingTimeInterval(-60))
        let bob = try token("bob", at: now.addingTimeInterval(-60))
        try await service.revokeUser("alice")
        XCTAssertTrue(try isRevoked(alice, service, at: now))
        XCTAssertFalse(try isRevoked(bob, service, at: now), "another user's session still opens")
        let after = try token("alice", at: now.addingTimeInterval(1))
        XCTAssertFalse(try isRevoked(after, service, at: now.addingTimeInterval(2)), "a session issued later opens")

        let bobID = try XCTUnwrap(try sealer.open(bob, at: now).claims.sessionID)
        try await service.revokeSession(bobID)
        XCTAssertTrue(try isRevoked(bob, service, at: now))
        let bobAgain = try token("bob", at: now.addingTimeInterval(-30))
        XCTAssertFalse(try isRevoked(bobAgain, service, at: now), "bob's other session still opens")
        let written = try await store.revocations(at: now)
        XCTAssertEqual(written.revocations.count, 2)

        await store.setDown(true)
        do {
            try await service.revokeUser("carol")
            XCTFail("a revocation the store did not take must not be reported as done")
        } catch {
            XCTAssertEqual(error, .unavailable("down"))
        }
        XCTAssertEqual(service.current.count, 2, "and it is not applied here either")
    }

    func testAnOwnRevocationSurvivesAReloadThatReadTheStoreBeforeItWasWritten() async throws {
        let store = ControlledStore()
        let service = RevocationService(store: store, sealer: try sealer, clock: { Self.start })
        try await service.start()
        await store.holdNextRead()
        let reload = Task { await service.reload() }
        await store.waitUntilReadIsHeld()
        // The read has its rows already (none); the revocation is written after it.
        try await store.revoke(.user("alice", before: now, retainedFor: try sealer.maxTokenAge))
        service.list.apply(.user("alice", before: now, retainedFor: try sealer.maxTokenAge), at: now)
        await store.releaseRead()
        _ = await reload.value
        XCTAssertTrue(try isRevoked(try token("alice", at: now.addingTimeInterval(-60)), service, at: now))
        // The next reload reads it from the store and no longer needs the local copy.
        let reloaded = await service.reload()
        XCTAssertTrue(reloaded)
        XCTAssertTrue(try isRevoked(try token("alice", at: now.addingTimeInterval(-60)), service, at: now))
        XCTAssertEqual(service.current.count, 1)
    }

    func testAStaleSetKeepsServingByDefaultAndFailsClosedWhenAsked() async throws {
        let clock = TestClock(now)
        let store = ControlledStore()
        try await store.revoke(.user("alice", before: now, retainedFor: try sealer.maxTokenAge))
        let events = EventLog()
        let serving = RevocationService(store: store, sealer: try sealer, clock: { clock.now }, onEvent: events.record)
        let closing = RevocationService(
            store: store, sealer: try sealer, policy: RevocationPolicy(staleAfter: .seconds(60), whenStale: .failClosed),
            clock: { clock.now }, onEvent: events.record)
        try await serving.start()
        try await closing.start()
        let bob = try token("bob", at: now)
        let alice = try token("alice", at: now.addingTimeInterval(-60))

        await store.setDown(true)
        clock.now = now.addingTimeInterval(59)
        let failed = await closing.reload()
        XCTAssertFalse(failed)
        closing.checkStaleness()
        XCTAssertFalse(try isRevoked(bob, closing, at: clock.now), "within the bound nothing changes")

        clock.now = now.addingTimeInterval(301)
        serving.checkStaleness()
        closing.checkStaleness()
        serving.checkStaleness()
        XCTAssertFalse(try isRevoked(bob, serving, at: clock.now), "keep serving: valid sessions still open")
        XCTAssertTrue(try isRevoked(alice, serving, at: clock.now), "and revoked ones stay revoked")
        XCTAssertTrue(try isRevoked(bob, closing, at: clock.now), "fail closed: every session is refused")
        XCTAssertEqual(events.all.filter { $0 == .stale(seconds: 301, failingClosed: false) }.count, 1, "reported once")
        XCTAssertTrue(events.all.contains(.stale(seconds: 301, failingClosed: true)))

        await store.setDown(false)
        let recovered = await closing.reload()
        XCTAssertTrue(recovered)
        XCTAssertFalse(try isRevoked(bob, closing, at: clock.now), "a reload ends failing closed")
        XCTAssertTrue(try isRevoked(alice, closing, at: clock.now))
    }

    func testUnreadableRowsAreSkippedAndReported() async throws {
        let store = ControlledStore()
        await store.setUnreadable(3)
        let events = EventLog()
        let service = RevocationService(store: store, sealer: try sealer, clock: { Self.start }, onEvent: events.record)
        try await service.start()
        XCTAssertEqual(events.all, [.reloaded(count: 0, unreadable: 3)])
    }

    func testRunFollowsTheStoreAndStopsWhenCancelled() async throws {
        let store = ControlledStore()
        let sealer = try self.sealer
        let policy = RevocationPolicy(reloadInterval: .seconds(3600))
        let here = RevocationService(store: store, sealer: sealer, policy: policy)
        let elsewhere = RevocationService(store: store, sealer: sealer, policy: policy)
        try await here.start()
        let running = Task { await here.run() }
        while await store.watcherCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let alice = try sealer.seal(subject: "alice", at: Date().addingTimeInterval(-60)).token
        try await elsewhere.revokeUser("alice")
        await store.notify()
        var seen = false
        for _ in 0..<200 where !seen {
            try await Task.sleep(for: .milliseconds(10))
            seen = (try? sealer.open(alice, revocations: here.current)) == nil
        }
        XCTAssertTrue(seen, "a notified change is reloaded")

        // A notification that names its revocation is applied without reading the store.
        let bob = try sealer.seal(subject: "bob", at: Date().addingTimeInterval(-60)).token
        await store.setDown(true)
        await store.notify(.written(.user("bob", before: Date(), retainedFor: sealer.maxTokenAge)))
        XCTAssertNil(try? sealer.open(bob, revocations: here.current))
        running.cancel()
        await running.value
    }

    /// Whoever can notify the store's channel (any PostgreSQL role that can connect) must not
    /// make a node read the whole set in a loop: a burst of changes the feed cannot name costs at
    /// most one reload a second, and the last one still runs.
    func testUnnamedChangesReloadAtMostOnceASecond() async throws {
        let store = ControlledStore()
        let sealer = try self.sealer
        let service = RevocationService(store: store, sealer: sealer, policy: RevocationPolicy(reloadInterval: .seconds(3600)))
        try await service.start()
        let running = Task { await service.run() }
        while await store.watcherCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let readsBefore = await store.reads
        let started = ContinuousClock.now
        for index in 0..<200 {
            if index == 150 { try await store.revoke(.user("mallory", before: Date(), retainedFor: 3_600)) }
            await store.notify()
        }
        try await Task.sleep(for: .milliseconds(2_500))
        let elapsed = ContinuousClock.now - started
        let reloads = await store.reads - readsBefore
        running.cancel()
        await running.value
        XCTAssertGreaterThanOrEqual(reloads, 2, "the first at once, and the one held back after a second")
        XCTAssertLessThanOrEqual(reloads, Int(elapsed.components.seconds) + 1, "\(reloads) reloads in \(elapsed)")
        XCTAssertTrue(service.current.revokes(subject: "mallory", sessionStart: Date(timeIntervalSince1970: 0), sessionID: nil),
            "the change behind the held-back reload is in force")
    }
}

/// An in-memory store that tests can take down, hold in the middle of a read, make return
/// unreadable rows, and make notify its watchers.
actor ControlledStore: RevocationStore {
    private let inner = InMemoryRevocationStore()
    private var down = false
    private var unreadable = 0
    private var hold = false
    private var held: CheckedContinuation<Void, Never>?
    private var heldWaiters: [CheckedContinuation<Void, Never>] = []
    /// The watchers of running `watchChanges` calls, removed when a call returns (each holds
    /// its service: keeping it would be a cycle).
    private var watchers: [UUID: @Sendable (RevocationChange) async -> Void] = [:]

    func setDown(_ value: Bool) { down = value }
    func setUnreadable(_ count: Int) { unreadable = count }
    func holdNextRead() { hold = true }
    func waitUntilReadIsHeld() async {
        if held != nil { return }
        await withCheckedContinuation { heldWaiters.append($0) }
    }
    func releaseRead() {
        held?.resume()
        held = nil
    }
    var watcherCount: Int { watchers.count }
    /// How many times the whole set was read.
    private(set) var reads = 0
    func notify(_ change: RevocationChange = .unknown) async {
        for watcher in watchers.values { await watcher(change) }
    }

    func revoke(_ revocation: Revocation) async throws {
        if down { throw RevocationStoreError.unavailable("down") }
        try await inner.revoke(revocation)
    }

    func revocations(at now: Date) async throws -> StoredRevocations {
        if down { throw RevocationStoreError.unavailable("down") }
        reads += 1
        var stored = await inner.revocations(at: now)
        stored.unreadable = unreadable
        if hold {
            hold = false
            await withCheckedContinuation { continuation in
                held = continuation
                heldWaiters.forEach { $0.resume() }
                heldWaiters = []
            }
        }
        return stored
    }

    func purge(at now: Date) async throws -> Int { await inner.purge(at: now) }

    func watchChanges(_ changed: @escaping @Sendable (RevocationChange) async -> Void) async throws {
        let id = UUID()
        watchers[id] = changed
        defer { watchers[id] = nil }
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
    }
}
