import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// Sealing reports the session it made, without opening the token again: what a sign-in hands
/// to the request it answers must be exactly what the token opens as.
final class SealedSessionTests: XCTestCase {
    let now = Fixture.now

    struct Prefs: Codable, Equatable {
        var theme: String
    }

    func testTheSealedSessionIsWhatTheTokenOpensAs() throws {
        let sealers = [
            Fixture.sealer,
            try SessionSealer(keys: Fixture.ring, issuer: "https://auth.example.com", audience: "app"),
            try SessionSealer(keys: Fixture.ring, lifetime: 3600, absoluteLifetime: 1800),
        ]
        for sealer in sealers {
            let sealed = try sealer.seal(subject: "user-42", at: now.addingTimeInterval(0.75))
            let opened = try sealer.open(sealed.token, at: now.addingTimeInterval(1))
            XCTAssertEqual(sealed.session, opened)
            XCTAssertEqual(sealed.session.claims.sessionID, opened.claims.sessionID)
            XCTAssertEqual(sealed.session.claims.sessionID?.count, 22)
            // The sign-in time in milliseconds, `iat` in whole seconds.
            XCTAssertEqual(sealed.session.claims.authenticatedAt, now.addingTimeInterval(0.75))
            XCTAssertEqual(sealed.session.claims.issuedAt, now)
        }
    }

    func testWithCustomClaimsToo() throws {
        let sealed = try Fixture.sealer.seal(subject: "user-7", custom: Prefs(theme: "dark"), at: now)
        XCTAssertEqual(sealed.session, try Fixture.sealer.open(sealed.token, at: now))
        XCTAssertEqual(try Fixture.sealer.open(sealed.token, decoding: Prefs.self, at: now).custom, Prefs(theme: "dark"))
    }

    func testEachSessionHasItsOwnID() throws {
        let ids = try (0..<64).map { _ in try Fixture.sealer.seal(subject: "u", at: now).session.claims.sessionID }
        XCTAssertEqual(Set(ids).count, 64)
    }

    func testFailuresAreSealingsFailures() throws {
        let sealer = try SessionSealer(keys: Fixture.ring, maxTokenLength: 256)
        XCTAssertThrowsError(try sealer.seal(subject: String(repeating: "x", count: 400), at: now)) {
            guard case .unsealable = $0 as? SessionTokenError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Fixture.sealer.seal(subject: "u", custom: ["sub": "admin"], at: now)) {
            guard case .unsealable = $0 as? SessionTokenError else { return XCTFail("\($0)") }
        }
    }
}
