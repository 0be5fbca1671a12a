import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// A rotation rolled out over 50 nodes, each with its own ring, while users' tokens travel
/// between random nodes. Following the runbook (add everywhere, then promote everywhere, then
/// retire once the longest token life has passed) nobody is logged out and no retired key is
/// honoured; promoting on one node first does log users out, which shows the test can fail.
final class FleetSimulationTests: XCTestCase {
    struct Counts: CustomStringConvertible {
        var requests = 0
        var signIns = 0
        var reissues = 0
        var expiredNaturally = 0
        var validSessionsRejected = 0
        var acceptedUnderRetiredKey = 0

        var description: String {
            "requests \(requests), sign-ins \(signIns), re-issues \(reissues), expired naturally \(expiredNaturally), "
                + "valid sessions rejected \(validSessionsRejected), accepted under a retired key \(acceptedUnderRetiredKey)"
        }
    }

    enum Procedure { case runbook, promoteOnOneNodeFirst }

    let hour: TimeInterval = 3600
    let day: TimeInterval = 86_400

    func simulate(_ procedure: Procedure, seed: UInt64) throws -> Counts {
        var random = SeededRandom(seed: seed)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let oldKey = try SessionKey(id: "2026-10", bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        let newKey = try SessionKey(id: "2026-11", bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        let template = try SessionSealer(keys: KeyRing(primary: oldKey), lifetime: 30 * day, updateAge: day)
        var nodes = Array(repeating: template, count: 50)

        // The rollout schedule: each node takes each step after a random delay of up to 2 days.
        func schedule(after start: Date) -> [Date] {
            (0..<50).map { _ in start.addingTimeInterval(Double.random(in: 0..<(2 * day), using: &random)) }
        }
        let addAt: [Date]
        let promoteAt: [Date]
        switch procedure {
        case .runbook:
            addAt = schedule(after: start.addingTimeInterval(10 * day))
            promoteAt = schedule(after: (addAt.max() ?? start).addingTimeInterval(hour))
        case .promoteOnOneNodeFirst:
            // Node 0 adds and promotes on day 10; the others only start adding on day 13.
            addAt = [start.addingTimeInterval(10 * day)] + schedule(after: start.addingTimeInterval(13 * day)).dropFirst()
            promoteAt = [start.addingTimeInterval(10 * day)] + schedule(after: (addAt.max() ?? start).addingTimeInterval(hour)).dropFirst()
        }
        let retireAt = schedule(after: (promoteAt.max() ?? start).addingTimeInterval(template.maxTokenAge))
        var added = Array(repeating: false, count: 50)
        var promoted = Array(repeating: false, count: 50)
        var retired = Array(repeating: false, count: 50)

        // Users: each holds a token and its exp, and comes back after 1 hour to 20 days.
        struct User { var token: String?; var expiresAt: Date; var nextVisit: Date }
        var users = (0..<1000).map { _ in
            User(token: nil, expiresAt: start, nextVisit: start.addingTimeInterval(Double.random(in: 0..<day, using: &random)))
        }
        var counts = Counts()
        let end = start.addingTimeInterval(90 * day)
        var now = start
        while now < end {
            for n in nodes.indices {
                if !added[n], now >= addAt[n] {
                    nodes[n] = try nodes[n].with(keys: nodes[n].keys.adding(newKey))
                    added[n] = true
                }
                if !promoted[n], now >= promoteAt[n] {
                    nodes[n] = try nodes[n].with(keys: nodes[n].keys.promoting(newKey.id, at: now))
                    promoted[n] = true
                }
                if !retired[n], now >= retireAt[n] {
                    // No force: the ring itself checks that every token of the old key has expired.
                    nodes[n] = try nodes[n].with(keys: nodes[n].keys.retiring(oldKey.id, at: now, maxTokenAge: template.maxTokenAge))
                    retired[n] = true
                }
            }
            for u in users.indices where users[u].nextVisit <= now {
                counts.requests += 1
                let node = nodes[Int.random(in: 0..<50, using: &random)]
                if let token = users[u].token {
                    do {
                        let refreshed = try node.refresh(token, at: now)
                        if node.keys.state(of: refreshed.session.keyID) != .primary
                            && node.keys.state(of: refreshed.session.keyID) != .accepted
                        {
                            counts.acceptedUnderRetiredKey += 1
                        }
                        if let replacement = refreshed.replacement {
                            counts.reissues += 1
                            users[u].token = replacement
                            users[u].expiresAt = try node.open(replacement, at: now).expiresAt
                        }
                    } catch {
                        if users[u].expiresAt > now {
                            counts.validSessionsRejected += 1
                        } else {
                            counts.expiredNaturally += 1
                        }
                        users[u].token = nil
                    }
                }
                if users[u].token == nil {
                    counts.signIns += 1
                    let token = try node.seal(subject: "user-\(u)", at: now).token
                    users[u].token = token
                    users[u].expiresAt = try node.open(token, at: now).expiresAt
                }
                // Most users return within days; one in five stays away for weeks.
                let away = random.next() % 5 == 0 ? Double.random(in: (10 * day)..<(40 * day), using: &random)
                    : Double.random(in: hour..<(3 * day), using: &random)
                users[u].nextVisit = now.addingTimeInterval(away)
            }
            now = now.addingTimeInterval(hour)
        }
        XCTAssertTrue(retired.allSatisfy { $0 }, "every node retired the old key within the simulated time")
        return counts
    }

    func testRunbookRotationLogsNobodyOut() throws {
        let counts = try simulate(.runbook, seed: 20_261_129)
        print("fleet simulation, runbook order: \(counts)")
        XCTAssertEqual(counts.validSessionsRejected, 0)
        XCTAssertEqual(counts.acceptedUnderRetiredKey, 0)
        XCTAssertGreaterThan(counts.requests, 10_000)
        XCTAssertGreaterThan(counts.reissues, 1_000, "sessions were re-issued under the new key")
        XCTAssertGreaterThan(counts.expiredNaturally, 0, "long absences expire as they should")
    }

    func testPromotingBeforeEveryNodeHasTheKeyLogsUsersOut() throws {
        let counts = try simulate(.promoteOnOneNodeFirst, seed: 20_261_129)
        print("fleet simulation, promote on one node first: \(counts)")
        XCTAssertGreaterThan(counts.validSessionsRejected, 0, "the wrong order must show rejections")
        XCTAssertEqual(counts.acceptedUnderRetiredKey, 0)
    }
}
