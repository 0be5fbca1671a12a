import Foundation
import XCTest

@testable import SessionToken
@testable import SessionTokenRevocation

/// Revocation by user ("sessions that began before T") and by session (`sid`), checked after
/// authentication and the time checks, followed through re-issues, with entries that expire
/// once nothing they match can still be valid.
final class RevocationTests: XCTestCase {
    let sealer = Fixture.sealer
    let now = Fixture.now

    private func token(_ subject: String, at time: Date) throws -> String {
        try sealer.seal(subject: subject, at: time).token
    }

    private func assertOpens(_ token: String, _ set: RevocationSet, at time: Date? = nil, file: StaticString = #filePath,
        line: UInt = #line)
    {
        XCTAssertNoThrow(try sealer.open(token, at: time ?? now, revocations: set), file: file, line: line)
    }

    private func assertFails(_ expected: SessionTokenError, _ token: String, _ set: RevocationSet, at time: Date? = nil,
        file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertThrowsError(try sealer.open(token, at: time ?? now, revocations: set), file: file, line: line) {
            XCTAssertEqual($0 as? SessionTokenError, expected, file: file, line: line)
        }
    }

    func testUserRevocationRefusesTokensIssuedBeforeItsTimeOnly() throws {
        let cutOff = now.addingTimeInterval(-3_600)
        let set = RevocationSet([.user("alice", before: cutOff, retainedFor: sealer.maxTokenAge)], at: now)
        assertFails(.revoked, try token("alice", at: cutOff.addingTimeInterval(-1)), set)
        assertFails(.revoked, try token("alice", at: cutOff.addingTimeInterval(-86_400 * 20)), set)
        assertOpens(try token("alice", at: cutOff), set)
        assertOpens(try token("alice", at: cutOff.addingTimeInterval(60)), set)
        assertOpens(try token("bob", at: cutOff.addingTimeInterval(-60)), set)
        assertOpens(try token("alicia", at: cutOff.addingTimeInterval(-60)), set)
    }

    /// "Sign out everywhere" then a new sign-in within the same second: the new session began
    /// after the cut-off and opens, while one that began earlier in that second stays refused.
    /// In whole seconds both would read as having begun before it (the sign-in was refused
    /// until it was repeated a second later); `auth_time` is kept in milliseconds.
    func testASignInInTheSecondOfAUserRevocationOpensOnlyWhenItCameAfter() throws {
        let second = now.timeIntervalSince1970.rounded(.down) - 3_600
        let cutOff = Date(timeIntervalSince1970: second + 0.5)
        let set = RevocationSet([.user("alice", before: cutOff, retainedFor: sealer.maxTokenAge)], at: now)
        for after in [0.501, 0.7, 0.999] {
            let token = try token("alice", at: Date(timeIntervalSince1970: second + after))
            assertOpens(token, set)
            // Its re-issues keep the time in milliseconds, and open too.
            let later = now.addingTimeInterval(sealer.updateAge + 60)
            let reissued = try XCTUnwrap(sealer.refresh(token, at: later).replacement)
            assertOpens(reissued, set, at: later)
        }
        for before in [0, 0.2, 0.499] {
            let token = try token("alice", at: Date(timeIntervalSince1970: second + before))
            assertFails(.revoked, token, set)
        }
        // The session's start, as opened, is the sign-in time rounded down to milliseconds.
        let opened = try sealer.open(try token("alice", at: Date(timeIntervalSince1970: second + 0.7006)), at: now)
        XCTAssertEqual(opened.claims.sessionStart?.timeIntervalSince1970, second + 0.7)
        XCTAssertEqual(opened.claims.issuedAt?.timeIntervalSince1970, second)
    }

    func testSessionRevocationRefusesThatSessionOnly() throws {
        let revoked = try token("alice", at: now.addingTimeInterval(-60))
        let other = try token("alice", at: now.addingTimeInterval(-60))
        let sessionID = try XCTUnwrap(sealer.open(revoked, at: now).claims.sessionID)
        let set = RevocationSet([.session(sessionID, at: now, retainedFor: sealer.maxTokenAge)], at: now)
        assertFails(.revoked, revoked, set)
        assertOpens(other, set)
        assertOpens(revoked, .empty)
    }

    /// The escape the security review found: a stolen token due for re-issue was re-issued by a
    /// node that had not heard of the revocation yet, and the fresh token (new `jti`, `iat` now)
    /// passed both "this device" and "everywhere" on every node for good. A re-issue keeps the
    /// session's `sid` and `auth_time`, so the copy stays revoked.
    func testReissuedCopiesOfARevokedSessionStayRevoked() throws {
        let signIn = now.addingTimeInterval(-3 * 86_400)
        let stolen = try token("alice", at: signIn)
        // A node that has not heard of the revocations re-issues the stolen token two days on.
        let reissuedAt = now.addingTimeInterval(-86_400)
        let copy = try XCTUnwrap(sealer.refresh(stolen, at: reissuedAt).replacement)
        let sessionID = try XCTUnwrap(sealer.open(stolen, at: now).claims.sessionID)

        let thisDevice = RevocationSet([.session(sessionID, at: now, retainedFor: sealer.maxTokenAge)], at: now)
        assertFails(.revoked, copy, thisDevice)
        assertFails(.revoked, try XCTUnwrap(sealer.refresh(copy, at: now).replacement), thisDevice)

        // "Everywhere" at a time after the re-issue: the copy's `iat` is after the cut-off,
        // its session's start is not.
        let everywhere = RevocationSet([.user("alice", before: now.addingTimeInterval(-3_600), retainedFor: sealer.maxTokenAge)], at: now)
        assertFails(.revoked, copy, everywhere)
        // A new sign-in after the cut-off is a new session, and opens.
        assertOpens(try token("alice", at: now.addingTimeInterval(-60)), everywhere)
        assertOpens(copy, .empty)
    }

    /// A token without `sid` (a next-auth front end's) is matched by its `jti`, and one without
    /// `auth_time` by its `iat`: all it can show.
    func testForeignTokensFallBackToTheirJTIAndIAT() {
        let issued = now.addingTimeInterval(-600)
        let set = RevocationSet(
            [.session("jti-1", at: now, retainedFor: 3_600), .user("bob", before: now, retainedFor: 3_600)], at: now)
        XCTAssertTrue(set.revokes(subject: "carol", sessionStart: issued, sessionID: "jti-1"))
        XCTAssertFalse(set.revokes(subject: "carol", sessionStart: issued, sessionID: "jti-2"))
        XCTAssertTrue(set.revokes(subject: "bob", sessionStart: issued, sessionID: nil))
        XCTAssertFalse(set.revokes(subject: "bob", sessionStart: now, sessionID: nil))
        XCTAssertTrue(set.revokes(subject: "bob", sessionStart: nil, sessionID: nil), "no start: cannot show it began after")
    }

    /// Opening with custom claims checks revocation too, before the claims are decoded: a
    /// revoked token whose claims would not decode is reported revoked, not invalid.
    func testOpeningWithCustomClaimsChecksRevocationBeforeDecoding() throws {
        struct Role: Codable, Equatable { var role: String }
        struct Other: Codable { var missing: Int }
        let sealed = try sealer.seal(subject: "alice", custom: Role(role: "admin"), at: now.addingTimeInterval(-60))
        let thisDevice = RevocationSet(
            [.session(try XCTUnwrap(sealed.session.claims.sessionID), at: now, retainedFor: sealer.maxTokenAge)], at: now)
        XCTAssertEqual(try sealer.open(sealed.token, decoding: Role.self, at: now, revocations: .empty).custom,
            Role(role: "admin"))
        XCTAssertThrowsError(try sealer.open(sealed.token, decoding: Role.self, at: now, revocations: thisDevice)) {
            XCTAssertEqual($0 as? SessionTokenError, .revoked)
        }
        XCTAssertThrowsError(try sealer.open(sealed.token, decoding: Other.self, at: now, revocations: thisDevice)) {
            XCTAssertEqual($0 as? SessionTokenError, .revoked)
        }
        XCTAssertThrowsError(try sealer.open(sealed.token, decoding: Other.self, at: now, revocations: .empty)) {
            XCTAssertEqual($0 as? SessionTokenError, .invalid)
        }
    }

    func testAuthenticationAndTimesComeBeforeRevocation() throws {
        let set = RevocationSet([.user("alice", before: now, retainedFor: sealer.maxTokenAge)], at: now)
        let old = try token("alice", at: now.addingTimeInterval(-sealer.lifetime - sealer.leeway - 10))
        assertFails(.expired, old, set)
        var tampered = Array(try token("alice", at: now.addingTimeInterval(-60)))
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        assertFails(.invalid, String(tampered), set)
        let forged = Fixture.forge(header: #"{"alg":"dir","enc":"XC20P","kid":"nope"}"#, claims: #"{"sub":"alice"}"#)
        assertFails(.invalid, forged, set)
        let future = try token("alice", at: now.addingTimeInterval(3_600))
        assertFails(.notYetValid, future, set)
    }

    func testNamesAreComparedAsBytes() throws {
        let set = RevocationSet([.user("\u{212A}ey", before: now, retainedFor: sealer.maxTokenAge), .session("J\u{301}", at: now, retainedFor: sealer.maxTokenAge)], at: now)
        assertOpens(try token("Key", at: now.addingTimeInterval(-60)), set)
        XCTAssertFalse(set.revokes(subject: "x", sessionStart: now.addingTimeInterval(-60), sessionID: "\u{1E30}"))
        XCTAssertTrue(set.revokes(subject: "x", sessionStart: now, sessionID: "J\u{301}"))
        XCTAssertTrue(set.revokes(subject: "\u{212A}ey", sessionStart: now.addingTimeInterval(-1), sessionID: nil))
    }

    /// Token IDs of up to 24 bytes are kept by their inline bytes, longer ones as strings:
    /// both kinds match exactly and only themselves.
    func testShortAndLongTokenIDsMatchOnlyThemselves() {
        let long = String(repeating: "L", count: 40), short = "ab"
        let set = RevocationSet([.session(long, at: now, retainedFor: sealer.maxTokenAge), .session(short, at: now, retainedFor: sealer.maxTokenAge)], at: now)
        XCTAssertEqual(set.count, 2)
        XCTAssertTrue(set.revokes(subject: nil, sessionStart: nil, sessionID: long))
        XCTAssertTrue(set.revokes(subject: nil, sessionStart: nil, sessionID: short))
        for other in [String(repeating: "L", count: 39), long + "L", "ab\u{0}", "a", "ba", String(repeating: "L", count: 24), ""] {
            XCTAssertFalse(set.revokes(subject: nil, sessionStart: nil, sessionID: other), other.debugDescription)
        }
    }

    func testShortAndLongUserIDsMatchOnlyThemselves() {
        let long = String(repeating: "u", count: 30)
        let set = RevocationSet([.user(long, before: now, retainedFor: sealer.maxTokenAge), .user("u", before: now, retainedFor: sealer.maxTokenAge)], at: now)
        let before = now.addingTimeInterval(-1)
        XCTAssertTrue(set.revokes(subject: long, sessionStart: before, sessionID: nil))
        XCTAssertTrue(set.revokes(subject: "u", sessionStart: before, sessionID: nil))
        for other in [String(repeating: "u", count: 29), long + "u", String(repeating: "u", count: 24), "uu", "u\u{0}", ""] {
            XCTAssertFalse(set.revokes(subject: other, sessionStart: before, sessionID: nil), other.debugDescription)
        }
    }

    func testATokenWithoutIssuedAtCannotShowItPostdatesAUserRevocation() {
        let set = RevocationSet([.user("alice", before: now, retainedFor: sealer.maxTokenAge)], at: now)
        XCTAssertTrue(set.revokes(subject: "alice", sessionStart: nil, sessionID: nil))
        XCTAssertFalse(set.revokes(subject: nil, sessionStart: nil, sessionID: nil))
        XCTAssertFalse(set.revokes(subject: "bob", sessionStart: nil, sessionID: "j"))
    }

    func testTheLatestCutOffOfAUserWins() throws {
        let early = now.addingTimeInterval(-7_200), late = now.addingTimeInterval(-600)
        for list in [[Revocation.user("alice", before: early, retainedFor: sealer.maxTokenAge), .user("alice", before: late, retainedFor: sealer.maxTokenAge)],
            [.user("alice", before: late, retainedFor: sealer.maxTokenAge), .user("alice", before: early, retainedFor: sealer.maxTokenAge)]]
        {
            let set = RevocationSet(list, at: now)
            XCTAssertEqual(set.count, 1)
            assertFails(.revoked, try token("alice", at: late.addingTimeInterval(-1)), set)
            assertOpens(try token("alice", at: late), set)
        }
    }

    func testEntriesExpireWhenNothingTheyMatchCanStillBeValid() throws {
        let revokedAt = now
        let user = Revocation.user("alice", before: revokedAt, retainedFor: sealer.maxTokenAge)
        let session = Revocation.session("jti-1", at: revokedAt, retainedFor: sealer.maxTokenAge)
        XCTAssertEqual(user.expiresAt, revokedAt.addingTimeInterval(sealer.lifetime + sealer.leeway))
        XCTAssertEqual(session.expiresAt, user.expiresAt)
        // The newest token the user revocation matches: issued just before it, opened just
        // before it expires, still refused; after the expiry it has expired on its own.
        let newest = try token("alice", at: revokedAt.addingTimeInterval(-1))
        let justBefore = user.expiresAt.addingTimeInterval(-2)
        assertFails(.revoked, newest, RevocationSet([user], at: justBefore), at: justBefore)
        XCTAssertEqual(RevocationSet([user, session], at: justBefore).count, 2)
        XCTAssertEqual(RevocationSet([user, session], at: user.expiresAt).count, 0)
        assertFails(.expired, newest, RevocationSet([user], at: user.expiresAt), at: user.expiresAt)
    }

    func testTheListSwapsWholeSetsAndKeepsTheLastOneWhenAStoreFails() async throws {
        let list = RevocationList()
        XCTAssertNil(list.loadedAt)
        XCTAssertEqual(list.current.count, 0)
        let store = InMemoryRevocationStore()
        try await store.revoke(.user("alice", before: now, retainedFor: sealer.maxTokenAge))
        try await list.reload(from: store, at: now)
        XCTAssertEqual(list.loadedAt, now)
        XCTAssertEqual(list.current.count, 1)
        assertFails(.revoked, try token("alice", at: now.addingTimeInterval(-60)), list.current)

        do {
            try await list.reload(from: FailingStore(), at: now.addingTimeInterval(10))
            XCTFail("the failing store's error must reach the caller")
        } catch is FailingStore.Down {}
        XCTAssertEqual(list.loadedAt, now, "a failed reload keeps the last set and its time")
        XCTAssertEqual(list.current.count, 1)
    }

    func testTheInMemoryStorePurgesOnlyExpiredEntries() async throws {
        let store = InMemoryRevocationStore()
        let old = Revocation.user("alice", before: now.addingTimeInterval(-sealer.maxTokenAge - 1), retainedFor: sealer.maxTokenAge)
        let current = Revocation.session("jti-2", at: now, retainedFor: sealer.maxTokenAge)
        try await store.revoke(old)
        try await store.revoke(current)
        let inForce = await store.revocations(at: now)
        XCTAssertEqual(inForce, StoredRevocations([current]))
        let purged = await store.purge(at: now)
        XCTAssertEqual(purged, 1)
        let again = await store.purge(at: now)
        XCTAssertEqual(again, 0)
        let left = await store.revocations(at: .distantPast)
        XCTAssertEqual(left.revocations, [current])
    }

    /// The set's filter may say "maybe" for an ID it does not hold, never "no" for one it
    /// does: every one of 20,000 revoked IDs is found, none of 20,000 others, at every size
    /// the filter takes on the way.
    func testLargeSetsFindEveryRevokedIDAndNoOther() {
        for size in [1, 7, 100, 5_000, 10_000] {
            let list = (0..<size).flatMap { i in
                [Revocation.user("user-\(i)", before: now, retainedFor: sealer.maxTokenAge), .session("jti-\(i)-abcdefghijklmn", at: now, retainedFor: sealer.maxTokenAge)]
            }
            let set = RevocationSet(list, at: now.addingTimeInterval(-1))
            XCTAssertEqual(set.count, 2 * size)
            for i in 0..<size {
                XCTAssertTrue(set.revokes(subject: "user-\(i)", sessionStart: now.addingTimeInterval(-1), sessionID: nil), "user-\(i)")
                XCTAssertTrue(set.revokes(subject: nil, sessionStart: nil, sessionID: "jti-\(i)-abcdefghijklmn"), "jti \(i)")
                XCTAssertFalse(set.revokes(subject: "user-\(i + size)", sessionStart: now.addingTimeInterval(-1), sessionID: "jti-\(i)-abcdefghijklmo"))
                XCTAssertFalse(set.revokes(subject: "user-\(i)", sessionStart: now, sessionID: nil), "issued at the cut-off")
            }
        }
    }

    func testRevokedIsItsOwnWord() {
        XCTAssertEqual(SessionTokenError.revoked.description, "revoked")
        XCTAssertNotEqual(SessionTokenError.revoked, .invalid)
    }
}

/// A store that is down.
private struct FailingStore: RevocationStore {
    struct Down: Error {}
    func revoke(_ revocation: Revocation) async throws { throw Down() }
    func revocations(at now: Date) async throws -> StoredRevocations { throw Down() }
    func purge(at now: Date) async throws -> Int { throw Down() }
}
