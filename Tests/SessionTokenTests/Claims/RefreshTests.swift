import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// What opening tells the caller, and rolling re-issue with idle and absolute limits.
final class RefreshTests: XCTestCase {
    let now = Fixture.now
    let hour: TimeInterval = 3600
    let day: TimeInterval = 86_400

    struct Prefs: Codable, Equatable {
        var theme: String
        var roles: [String]
    }

    func testNeedsReissueByAgeAndKey() throws {
        let sealer = try SessionSealer(keys: Fixture.ring, updateAge: day)
        let token = try sealer.seal(subject: "u", at: now).token
        let fresh = try sealer.open(token, at: now.addingTimeInterval(day - 1))
        XCTAssertTrue(fresh.isPrimaryKey)
        XCTAssertFalse(fresh.needsReissue)
        XCTAssertTrue(try sealer.open(token, at: now.addingTimeInterval(day)).needsReissue)

        let rotated = try sealer.with(keys: Fixture.ring.promoting("k2", at: now))
        let underOld = try rotated.open(token, at: now)
        XCTAssertEqual(underOld.keyID, "k1")
        XCTAssertFalse(underOld.isPrimaryKey)
        XCTAssertTrue(underOld.needsReissue)
    }

    func testRefreshKeepsSubjectCustomClaimsAndMovesToThePrimary() throws {
        let old = try SessionSealer(keys: Fixture.ring, absoluteLifetime: 90 * day)
        let signIn = now
        let token = try old.seal(subject: "user-9", custom: Prefs(theme: "dark", roles: ["a", "b"]), at: signIn).token
        let rotated = try old.with(keys: Fixture.ring.promoting("k2", at: now))

        let later = signIn.addingTimeInterval(2 * hour)
        let refreshed = try rotated.refresh(token, at: later)
        let replacement = try XCTUnwrap(refreshed.replacement, "a token under a non-primary key is re-issued")
        let (session, prefs) = try rotated.open(replacement, decoding: Prefs.self, at: later)
        XCTAssertEqual(session.keyID, "k2")
        XCTAssertEqual(session.subject, "user-9")
        XCTAssertEqual(prefs, Prefs(theme: "dark", roles: ["a", "b"]))
        XCTAssertEqual(session.claims.issuedAt, later)
        XCTAssertEqual(session.claims.authenticatedAt, signIn, "the original sign-in time is never reset")
        XCTAssertEqual(session.expiresAt, later.addingTimeInterval(30 * day))
        let sessionID = try XCTUnwrap(refreshed.session.claims.sessionID)
        XCTAssertEqual(session.claims.sessionID, sessionID, "a re-issue continues the session: the same sid")
        XCTAssertNil(session.claims.tokenID)
        XCTAssertNotEqual(replacement, token)
        XCTAssertFalse(session.needsReissue)
        XCTAssertNil(try rotated.refresh(replacement, at: later).replacement, "nothing is due on a fresh token")
    }

    func testIdleLimitSlides() throws {
        let sealer = try SessionSealer(keys: Fixture.ring, lifetime: 10 * day, updateAge: day)
        var token = try sealer.seal(subject: "u", at: now).token
        var t = now
        // A user who comes back every 5 days stays signed in far beyond the 10-day idle limit.
        for _ in 0..<10 {
            t = t.addingTimeInterval(5 * day)
            let refreshed = try sealer.refresh(token, at: t)
            token = try XCTUnwrap(refreshed.replacement)
        }
        // One who stays away 10 days is signed out.
        XCTAssertTokenError(.expired, try sealer.refresh(token, at: t.addingTimeInterval(10 * day)))
    }

    func testAbsoluteLimitEndsTheSession() throws {
        let sealer = try SessionSealer(keys: Fixture.ring, lifetime: 10 * day, updateAge: day, absoluteLifetime: 14 * day)
        let signIn = now
        let token = try sealer.seal(subject: "u", at: signIn).token
        let first = try sealer.open(token, at: signIn)
        XCTAssertEqual(first.claims.authenticatedAt, signIn)

        let day8 = signIn.addingTimeInterval(8 * day)
        let second = try XCTUnwrap(try sealer.refresh(token, at: day8).replacement)
        let opened = try sealer.open(second, at: day8)
        XCTAssertEqual(opened.expiresAt, signIn.addingTimeInterval(14 * day), "exp is capped at the absolute limit")
        XCTAssertEqual(opened.claims.authenticatedAt, signIn)

        let day13 = signIn.addingTimeInterval(13 * day)
        let third = try XCTUnwrap(try sealer.refresh(second, at: day13).replacement)
        XCTAssertEqual(try sealer.open(third, at: day13).expiresAt, signIn.addingTimeInterval(14 * day))

        XCTAssertTokenError(.expired, try sealer.refresh(third, at: signIn.addingTimeInterval(14 * day)))
        // Even a token whose own exp lies later ends at the absolute limit.
        let generous = try SessionSealer(keys: Fixture.ring, lifetime: 30 * day)
        let long = try generous.seal(subject: "u", at: signIn).token
        XCTAssertTokenError(.expired, try sealer.open(long, at: signIn.addingTimeInterval(14 * day)))
        XCTAssertNoThrow(try sealer.open(long, at: signIn.addingTimeInterval(14 * day - 1)))
    }

    func testRefreshOfInvalidTokensIsInvalid() throws {
        XCTAssertTokenError(.invalid, try Fixture.sealer.refresh("garbage", at: now))
        let token = try Fixture.sealer.seal(subject: "u", at: now).token
        XCTAssertTokenError(.expired, try Fixture.sealer.refresh(token, at: now.addingTimeInterval(31 * day)))
    }
}
