import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

final class RoundTripTests: XCTestCase {
    let sealer = Fixture.sealer
    let now = Fixture.now

    func testPlainClaimsRoundTrip() throws {
        let token = try sealer.seal(subject: "user-42", at: now).token
        let session = try sealer.open(token, at: now)
        XCTAssertEqual(session.subject, "user-42")
        XCTAssertEqual(session.keyID, "k1")
        XCTAssertEqual(session.claims.issuedAt, now)
        XCTAssertEqual(session.expiresAt, now.addingTimeInterval(2_592_000))
        XCTAssertNil(session.claims.notBefore)
        XCTAssertNil(session.claims.issuer)
        XCTAssertEqual(session.claims.audience, [])
        let sid = try XCTUnwrap(session.claims.sessionID)
        XCTAssertEqual(sid.count, 22, "128 random bits in unpadded base64url")
        XCTAssertEqual(session.claims.authenticatedAt, now, "a new session begins now")
        XCTAssertNil(session.claims.tokenID, "no jti: the session ID names the token's session")
    }

    func testIssuedAtIsWholeSeconds() throws {
        let token = try sealer.seal(subject: "u", at: now.addingTimeInterval(0.75)).token
        let session = try sealer.open(token, at: now.addingTimeInterval(1))
        XCTAssertEqual(session.claims.issuedAt, now)
    }

    struct Profile: Codable, Equatable {
        var name: String
        var roles: [String]
        var nested: [String: [Int]]
        var since: Date
    }

    func testCustomClaimsRoundTrip() throws {
        let profile = Profile(
            name: "Zoë \"Z\" \\ 🦊\n\u{1}", roles: ["admin", "ops"], nested: ["a": [1, 2, 3]],
            since: Date(timeIntervalSince1970: 1_700_000_000))
        let token = try sealer.seal(subject: "user-7", custom: profile, at: now).token
        let (session, decoded) = try sealer.open(token, decoding: Profile.self, at: now)
        XCTAssertEqual(session.subject, "user-7")
        XCTAssertEqual(decoded, profile)
    }

    func testSealingTwiceGivesDifferentTokensAndSessionIDs() throws {
        let a = try sealer.seal(subject: "user-42", at: now).token
        let b = try sealer.seal(subject: "user-42", at: now).token
        XCTAssertNotEqual(a, b)
        let nonceA = a.split(separator: ".", omittingEmptySubsequences: false)[2]
        let nonceB = b.split(separator: ".", omittingEmptySubsequences: false)[2]
        XCTAssertNotEqual(nonceA, nonceB)
        let sidA = try XCTUnwrap(sealer.open(a, at: now).claims.sessionID)
        XCTAssertNotEqual(sidA, try sealer.open(b, at: now).claims.sessionID)
    }

    func testTokenShape() throws {
        let token = try sealer.seal(subject: "user-42", at: now).token
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(segments.count, 5)
        XCTAssertEqual(String(segments[0]), Fixture.base64URL(#"{"alg":"dir","enc":"XC20P","kid":"k1"}"#))
        XCTAssertEqual(segments[1], "")
        XCTAssertEqual(segments[2].count, 32)  // 24 bytes
        XCTAssertEqual(segments[4].count, 22)  // 16 bytes
        XCTAssertFalse(token.contains("user-42"))
    }

    func testConfiguredLifetimeIssuerAndAudience() throws {
        let custom = try SessionSealer(
            keys: Fixture.ring, lifetime: 3600, issuer: "https://auth.example", audience: "api")
        let token = try custom.seal(subject: "u", at: now).token
        let session = try custom.open(token, at: now)
        XCTAssertEqual(session.expiresAt, now.addingTimeInterval(3600))
        XCTAssertEqual(session.claims.issuer, "https://auth.example")
        XCTAssertEqual(session.claims.audience, ["api"])
        // A sealer that requires another issuer or audience refuses it, even with the same keys.
        let otherIssuer = try SessionSealer(keys: Fixture.ring, issuer: "https://other.example")
        XCTAssertTokenError(.invalid, try otherIssuer.open(token, at: now))
        let otherAudience = try SessionSealer(keys: Fixture.ring, audience: "web")
        XCTAssertTokenError(.invalid, try otherAudience.open(token, at: now))
        // Without requirements, the claims are simply reported.
        XCTAssertEqual(try sealer.open(token, at: now).claims.issuer, "https://auth.example")
    }

    func testAcceptedKeyOpensButNeverSeals() throws {
        let onlyK2 = try SessionSealer(keys: KeyRing(primary: Fixture.key2))
        let token = try onlyK2.seal(subject: "u", at: now).token
        XCTAssertEqual(try sealer.open(token, at: now).keyID, "k2")
        XCTAssertEqual(try sealer.open(try sealer.seal(subject: "u", at: now).token, at: now).keyID, "k1")
    }

    func testCustomClaimsThatCannotBeSealed() throws {
        XCTAssertTokenError(.unsealable(#"custom claim "exp" is a registered claim name"#),
                            try sealer.seal(subject: "u", custom: ["exp": 1], at: now).token)
        XCTAssertThrowsError(try sealer.seal(subject: "u", custom: [1, 2, 3], at: now).token)
        XCTAssertThrowsError(try sealer.seal(subject: "u", custom: "text", at: now).token)
        XCTAssertThrowsError(try sealer.seal(subject: "u", custom: ["x": Double.nan], at: now).token)
        let big = String(repeating: "x", count: 4000)
        XCTAssertThrowsError(try sealer.seal(subject: big, at: now).token) { error in
            guard case .unsealable(let message)? = error as? SessionTokenError else { return XCTFail("\(error)") }
            XCTAssertFalse(message.contains(big))
        }
    }

    func testEmptyCustomObjectAddsNothing() throws {
        let token = try sealer.seal(subject: "u", custom: [String: Int](), at: now).token
        XCTAssertEqual(try sealer.open(token, at: now).subject, "u")
    }

    func testSealerConfigurationIsChecked() {
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, lifetime: 0))
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, lifetime: .infinity))
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, leeway: -1))
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, maxTokenLength: 10))
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, maxTokenLength: 1 << 20))
        XCTAssertThrowsError(try SessionSealer(keys: Fixture.ring, issuer: ""))
        XCTAssertNoThrow(try SessionSealer(keys: Fixture.ring, lifetime: 1, leeway: 86_400, maxTokenLength: 65_536))
    }

    /// `SessionClaims` shares its storage between copies: changing one copy never changes
    /// another, whichever member is set, and claims read from a token (their `sid` kept
    /// inline) equal the same claims built by hand.
    func testClaimsHaveValueSemantics() throws {
        let sealer = try SessionSealer(keys: Fixture.ring)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let opened = try sealer.open(try sealer.seal(subject: "user-1", at: now).token, at: now).claims
        let sid = try XCTUnwrap(opened.sessionID)
        XCTAssertEqual(sid.utf8.count, 22)
        let built = SessionClaims(
            subject: "user-1", issuedAt: now, expiresAt: now.addingTimeInterval(SessionSealer.defaultLifetime),
            authenticatedAt: now, sessionID: sid)
        XCTAssertEqual(opened, built)

        let later = Date(timeIntervalSince1970: 1_900_000_000)
        let edits: [(inout SessionClaims) -> Void] = [
            { $0.subject = "other" }, { $0.issuedAt = later }, { $0.expiresAt = later }, { $0.notBefore = later },
            { $0.sessionID = "ÿ-a-session-id-longer-than-twenty-four" }, { $0.sessionID = nil },
            { $0.sessionID = "short" }, { $0.tokenID = "a-token-id" }, { $0.issuer = "i" },
            { $0.audience = ["a", "b"] }, { $0.authenticatedAt = later },
        ]
        for (i, edit) in edits.enumerated() {
            var copy = opened
            edit(&copy)
            XCTAssertNotEqual(copy, opened, "edit \(i)")
            XCTAssertEqual(opened, built, "edit \(i) changed the original")
            var again = copy
            edit(&again)
            XCTAssertEqual(again, copy, "edit \(i)")
        }
        var renamed = opened
        renamed.sessionID = "ÿ-a-session-id-longer-than-twenty-four"
        XCTAssertEqual(renamed.sessionID, "ÿ-a-session-id-longer-than-twenty-four")
        XCTAssertEqual(opened.sessionID, sid)
    }
}
