import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// `exp`, `nbf` and `iat` against an injected clock, at the edges of the leeway.
final class TimeRuleTests: XCTestCase {
    let exp = 1_800_000_000.0

    func token(_ claims: String) -> String { Fixture.forge(header: Fixture.standardHeader, claims: claims) }

    func sealer(leeway: TimeInterval) throws -> SessionSealer {
        // No absolute limit: these tokens carry neither `auth_time` nor always `iat` (that rule has tests of its own).
        try SessionSealer(keys: Fixture.ring, leeway: leeway, absoluteLifetime: nil)
    }

    func at(_ t: Double) -> Date { Date(timeIntervalSince1970: t) }

    func testExpiryWithoutLeeway() throws {
        let t = token(#"{"sub":"u","exp":1800000000}"#)
        let s = try sealer(leeway: 0)
        XCTAssertNoThrow(try s.open(t, at: at(exp - 1)))
        XCTAssertNoThrow(try s.open(t, at: at(exp - 0.001)))
        XCTAssertTokenError(.expired, try s.open(t, at: at(exp)))
        XCTAssertTokenError(.expired, try s.open(t, at: at(exp + 1)))
    }

    func testExpiryWithLeeway() throws {
        let t = token(#"{"sub":"u","exp":1800000000}"#)
        let s = try sealer(leeway: 30)
        XCTAssertNoThrow(try s.open(t, at: at(exp + 29)))
        XCTAssertTokenError(.expired, try s.open(t, at: at(exp + 30)))
    }

    func testNonIntegerExpiry() throws {
        let t = token(#"{"exp":1800000000.5}"#)
        let s = try sealer(leeway: 0)
        XCTAssertNoThrow(try s.open(t, at: at(exp + 0.25)))
        XCTAssertTokenError(.expired, try s.open(t, at: at(exp + 0.5)))
    }

    func testNotBeforeWithAndWithoutLeeway() throws {
        let t = token(#"{"exp":1900000000,"nbf":1800000000}"#)
        XCTAssertTokenError(.notYetValid, try sealer(leeway: 0).open(t, at: at(exp - 1)))
        XCTAssertNoThrow(try sealer(leeway: 0).open(t, at: at(exp)))
        XCTAssertNoThrow(try sealer(leeway: 10).open(t, at: at(exp - 10)))
        XCTAssertTokenError(.notYetValid, try sealer(leeway: 10).open(t, at: at(exp - 11)))
    }

    func testIssuedInTheFuture() throws {
        let t = token(#"{"exp":1900000000,"iat":1800000000}"#)
        XCTAssertTokenError(.notYetValid, try sealer(leeway: 0).open(t, at: at(exp - 1)))
        XCTAssertNoThrow(try sealer(leeway: 0).open(t, at: at(exp)))
        XCTAssertNoThrow(try sealer(leeway: 5).open(t, at: at(exp - 5)))
        XCTAssertTokenError(.notYetValid, try sealer(leeway: 5).open(t, at: at(exp - 6)))
    }

    func testExpiryIsCheckedBeforeNotBefore() throws {
        let t = token(#"{"exp":1800000000,"nbf":1900000000}"#)
        XCTAssertTokenError(.expired, try sealer(leeway: 0).open(t, at: at(exp)))
    }

    func testTimeErrorsOnlyAfterAuthentication() throws {
        // An expired token whose tag is broken is invalid, not expired: nothing about its
        // claims is revealed before it authenticates.
        var t = Array(token(#"{"exp":1000}"#).utf8)
        XCTAssertTokenError(.expired, try sealer(leeway: 0).open(String(decoding: t, as: UTF8.self), at: at(exp)))
        t[t.count - 2] = t[t.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertTokenError(.invalid, try sealer(leeway: 0).open(String(decoding: t, as: UTF8.self), at: at(exp)))
    }

    func testSealedTokenLivesExactlyItsLifetime() throws {
        let s = try SessionSealer(keys: Fixture.ring, lifetime: 90)
        let t = try s.seal(subject: "u", at: at(exp)).token
        XCTAssertNoThrow(try s.open(t, at: at(exp + 89)))
        XCTAssertTokenError(.expired, try s.open(t, at: at(exp + 90)))
        XCTAssertTokenError(.notYetValid, try s.open(t, at: at(exp - 1)))
    }
}
