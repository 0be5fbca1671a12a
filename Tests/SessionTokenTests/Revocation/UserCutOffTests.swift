import Foundation
import XCTest

@testable import SessionToken
@testable import SessionTokenRevocation

/// A user's cut-off rides in the padding of its ID's table slot, in microseconds rounded up: a
/// set of users takes 32 bytes a slot instead of 40, and answers as the `Date` comparison it
/// replaced, but for sessions that began within a microsecond after the cut-off.
final class UserCutOffTests: XCTestCase {
    func testAnEntryTakesTheSlotOfItsIDAlone() {
        XCTAssertEqual(MemoryLayout<InlineText>.stride, 32)
        XCTAssertEqual(MemoryLayout<UserCutOff>.stride, 32)
        XCTAssertEqual(MemoryLayout<UserCutOff>.size, 32)
    }

    /// Against `start < cutOff` on random times with random fractions: the same answer, except
    /// that a session that began in the microsecond after the cut-off is revoked too.
    func testItAnswersAsTheDateComparisonToTheMicrosecond() throws {
        var rng = SystemRandomNumberGenerator()
        let user = try XCTUnwrap(InlineText("alice"))
        var disagreements = 0
        for _ in 0..<200_000 {
            let cutOff = Date(timeIntervalSince1970: Double.random(in: 1_000_000_000...2_500_000_000, using: &rng))
            let entry = UserCutOff(user: user, cutOff: cutOff)
            XCTAssertGreaterThanOrEqual(Double(entry.microseconds) / 1_000_000, cutOff.timeIntervalSinceReferenceDate)
            XCTAssertLessThan(Double(entry.microseconds) - cutOff.timeIntervalSinceReferenceDate * 1_000_000, 2)
            // Starts spread over seconds, milliseconds and microseconds around the cut-off.
            let scale = [1.0, 0.001, 0.000_001].randomElement(using: &rng)!
            let start = cutOff.addingTimeInterval(Double.random(in: -3...3, using: &rng) * scale)
            if entry.precedes(start) != (start < cutOff) {
                disagreements += 1
                XCTAssertTrue(entry.precedes(start), "only ever revoking more")
                XCTAssertLessThan(start.timeIntervalSince(cutOff), 0.000_001_5)
                XCTAssertGreaterThanOrEqual(start, cutOff)
            }
        }
        // Starts a microsecond or less after the cut-off come up in a sixth of the draws or so
        // (the microsecond scale), at most one in three of those within the rounding.
        XCTAssertLessThan(disagreements, 200_000 / 12)
    }

    /// A cut-off on a microsecond is held exactly (a session that began at it is not before it);
    /// any other (a millisecond in a `Date`, whose binary fraction is not one) within the
    /// microsecond after it.
    func testWholeAndMillisecondCutOffsAreExact() throws {
        let user = try XCTUnwrap(InlineText("alice"))
        for seconds in [1_800_000_000.0, 1_800_000_000.5, 1_800_000_000.123, 1_800_000_000.999] {
            let cutOff = Date(timeIntervalSince1970: seconds)
            let entry = UserCutOff(user: user, cutOff: cutOff)
            if seconds == seconds.rounded(.down) || seconds * 2 == (seconds * 2).rounded(.down) {
                XCTAssertFalse(entry.precedes(cutOff), "a session that began at the cut-off is not before it")
            }
            XCTAssertFalse(entry.precedes(cutOff.addingTimeInterval(0.000_001)))
            XCTAssertTrue(entry.precedes(cutOff.addingTimeInterval(-0.000_001)))
            XCTAssertTrue(entry.precedes(cutOff.addingTimeInterval(-0.001)))
            XCTAssertFalse(entry.precedes(cutOff.addingTimeInterval(0.001)))
            XCTAssertFalse(entry.precedes(cutOff.addingTimeInterval(0.000_002)))
        }
    }

    /// Times outside what 56 bits of microseconds since 2001 hold are clamped: an earlier
    /// cut-off is held as 2001 (revoking more), and a later one as the top of the range, which
    /// still revokes every session of this millennium.
    func testCutOffsOutsideTheRangeAreClamped() throws {
        let user = try XCTUnwrap(InlineText("alice"))
        let reference = Date(timeIntervalSinceReferenceDate: 0)
        for early in [Date(timeIntervalSince1970: 0), .distantPast, reference.addingTimeInterval(-0.5)] {
            let entry = UserCutOff(user: user, cutOff: early)
            XCTAssertEqual(entry.microseconds, 0)
            XCTAssertFalse(entry.precedes(reference))
            XCTAssertTrue(entry.precedes(reference.addingTimeInterval(-0.001)))
        }
        let top = Double(UserCutOff.maxMicroseconds) / 1e6
        for far in [Date(timeIntervalSinceReferenceDate: 1e300), Date(timeIntervalSinceReferenceDate: top + 10)] {
            let entry = UserCutOff(user: user, cutOff: far)
            XCTAssertEqual(entry.microseconds, UserCutOff.maxMicroseconds)
            XCTAssertTrue(entry.precedes(Date(timeIntervalSince1970: 4_000_000_000)))
        }
        // Not a number (no store writes one) neither traps nor revokes a session of today.
        let nan = UserCutOff(user: user, cutOff: Date(timeIntervalSinceReferenceDate: .nan))
        XCTAssertEqual(nan.microseconds, 0)
        XCTAssertFalse(nan.precedes(Date(timeIntervalSince1970: 1_800_000_000)))
        // Foundation's far future (the year 4001) is inside the range, and held exactly.
        let distant = UserCutOff(user: user, cutOff: .distantFuture)
        XCTAssertLessThan(distant.microseconds, UserCutOff.maxMicroseconds)
        XCTAssertTrue(distant.precedes(Date.distantFuture.addingTimeInterval(-0.001)))
        XCTAssertFalse(distant.precedes(.distantFuture))
    }

    /// Entries are one per user in a set, found by the user alone, and every bit of the cut-off
    /// survives the three fields it is split over.
    func testTheSetFindsAnEntryByItsUserAndKeepsEveryBitOfItsCutOff() throws {
        var set: Set<UserCutOff> = []
        var expected: [String: UInt64] = [:]
        for i in 0..<2_000 {
            let name = "user-\(i)"
            // Up to 2^52 microseconds (the year 2143), where a Double holds every microsecond;
            // the clamping test covers the top bits.
            let micros = UInt64.random(in: 0...(1 << 52) / 1_000_000) * 1_000_000 + UInt64(i % 1_000_000)
            let cutOff = Date(timeIntervalSinceReferenceDate: Double(micros) / 1_000_000)
            let entry = UserCutOff(user: try XCTUnwrap(InlineText(name)), cutOff: cutOff)
            set.insert(entry)
            expected[name] = entry.microseconds
            XCTAssertEqual(entry.microseconds, micros, "a whole number of microseconds is held as it is")
        }
        XCTAssertEqual(set.count, 2_000)
        for (name, micros) in expected {
            let probe = UserCutOff(probing: try XCTUnwrap(InlineText(name)))
            let index = try XCTUnwrap(set.firstIndex(of: probe), name)
            XCTAssertEqual(set[index].microseconds, micros)
        }
        XCTAssertNil(set.firstIndex(of: UserCutOff(probing: try XCTUnwrap(InlineText("user-2000")))))
    }
}
