import Foundation
import XCTest

@testable import SessionToken

/// One sealer shared by many tasks: opening and sealing need no lock and give the same
/// answers as on one thread.
final class ConcurrencyTests: XCTestCase {
    func testManyTasksOpenAndSealAtOnce() async throws {
        let sealer = Fixture.sealer
        let now = Fixture.now
        let tokens = try (0..<64).map { try sealer.seal(subject: "user-\($0)", at: now).token }
        let forged = tokens.map { String($0.dropLast(2)) + ($0.hasSuffix("AA") ? "BA" : "AA") }
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var opened = 0
                    var rejected = 0
                    for round in 0..<200 {
                        let index = (worker * 7 + round) % tokens.count
                        let session = try sealer.open(tokens[index], at: now)
                        guard session.subject == "user-\(index)" else { throw SessionTokenError.invalid }
                        opened += 1
                        do {
                            _ = try sealer.open(forged[index], at: now)
                        } catch SessionTokenError.invalid {
                            rejected += 1
                        }
                        let fresh = try sealer.seal(subject: "w\(worker)", at: now).token
                        guard try sealer.open(fresh, at: now).subject == "w\(worker)" else { throw SessionTokenError.invalid }
                    }
                    return (opened, rejected)
                }
            }
            var totals = (0, 0)
            for try await (opened, rejected) in group {
                totals.0 += opened
                totals.1 += rejected
            }
            return totals
        }
        XCTAssertEqual(results.0, 16 * 200)
        XCTAssertEqual(results.1, 16 * 200)
    }
}
