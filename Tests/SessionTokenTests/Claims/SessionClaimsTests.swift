import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// `SessionClaims` keeps `sub`, `iat`, `exp` and a short `jti` in the value and the other claims
/// in shared storage made only when one is present: these tests hold every property to plain
/// value semantics, whichever way it is stored.
final class SessionClaimsTests: XCTestCase {
    private let sealedAt = Date(timeIntervalSince1970: 1_795_910_400)

    private func claims(tokenID: String? = nil) -> SessionClaims {
        SessionClaims(
            subject: "user-0123456789", issuedAt: sealedAt, expiresAt: sealedAt.addingTimeInterval(30 * 86_400),
            tokenID: tokenID)
    }

    /// Texts of every length from 0 to 40 bytes (inline up to 24, stored beyond), in ASCII and
    /// with two- and four-byte UTF-8, come back as set, through the initializer and the setter.
    func testTokenIDOfEveryLengthRoundTrips() {
        let units = ["a", "é", "😀", "Z"]
        for unit in units {
            var text = ""
            while text.utf8.count <= 40 {
                XCTAssertEqual(claims(tokenID: text).tokenID, text, "\(text.utf8.count) bytes")
                var set = claims()
                XCTAssertNil(set.tokenID)
                set.tokenID = text
                XCTAssertEqual(set.tokenID, text, "\(text.utf8.count) bytes")
                XCTAssertEqual(set, claims(tokenID: text))
                XCTAssertNotEqual(set, claims(tokenID: text + "x"))
                set.tokenID = nil
                XCTAssertNil(set.tokenID)
                XCTAssertEqual(set, claims())
                text += unit
            }
        }
        XCTAssertEqual(InlineText.capacity, 24)
        XCTAssertNotNil(InlineText(String(repeating: "a", count: 24)))
        XCTAssertNil(InlineText(String(repeating: "a", count: 25)))
        XCTAssertNil(InlineText(String(repeating: "é", count: 13)), "26 bytes")
    }

    /// Replacing a long `jti` with a short one (and back) leaves no trace of the old one.
    func testTokenIDSwitchesBetweenInlineAndStored() {
        let long = String(repeating: "L", count: 30), short = "short-id"
        var c = claims(tokenID: long)
        c.tokenID = short
        XCTAssertEqual(c.tokenID, short)
        XCTAssertEqual(c, claims(tokenID: short))
        c.tokenID = long
        XCTAssertEqual(c.tokenID, long)
        XCTAssertEqual(c, claims(tokenID: long))
        c.tokenID = nil
        XCTAssertNil(c.tokenID)
        XCTAssertEqual(c, claims())
    }

    /// A copy changed in any one claim leaves the original as it was, including the claims kept
    /// in shared storage; equality follows the values, not the storage.
    func testCopiesAreIndependentInEveryClaim() {
        let base = SessionClaims(
            subject: "s", issuedAt: sealedAt, expiresAt: sealedAt.addingTimeInterval(60),
            notBefore: sealedAt, tokenID: String(repeating: "j", count: 30), issuer: "iss", audience: ["a", "b"],
            authenticatedAt: sealedAt.addingTimeInterval(-60))
        let later = sealedAt.addingTimeInterval(1)
        let changes: [(String, (inout SessionClaims) -> Void)] = [
            ("sub", { $0.subject = "t" }), ("sub nil", { $0.subject = nil }),
            ("iat", { $0.issuedAt = later }), ("iat nil", { $0.issuedAt = nil }),
            ("exp", { $0.expiresAt = later }),
            ("nbf", { $0.notBefore = later }), ("nbf nil", { $0.notBefore = nil }),
            ("jti", { $0.tokenID = "k" }), ("jti long", { $0.tokenID = String(repeating: "k", count: 30) }),
            ("jti nil", { $0.tokenID = nil }),
            ("iss", { $0.issuer = "other" }), ("iss nil", { $0.issuer = nil }),
            ("aud", { $0.audience = ["a"] }), ("aud empty", { $0.audience = [] }),
            ("auth_time", { $0.authenticatedAt = later }), ("auth_time nil", { $0.authenticatedAt = nil }),
        ]
        for (name, change) in changes {
            let original = base
            var copy = original
            change(&copy)
            XCTAssertNotEqual(copy, original, name)
            XCTAssertEqual(original, base, name)
            XCTAssertEqual(original.issuer, "iss", name)
            XCTAssertEqual(original.audience, ["a", "b"], name)
            XCTAssertEqual(original.notBefore, sealedAt, name)
            XCTAssertEqual(original.tokenID, String(repeating: "j", count: 30), name)
            XCTAssertEqual(original.authenticatedAt, sealedAt.addingTimeInterval(-60), name)
        }
    }

    /// Claims that reach the same values by different routes are equal: storage made and then
    /// emptied again, against none made at all.
    func testEqualityIgnoresHowClaimsAreStored() {
        var c = claims(tokenID: "abc")
        c.issuer = "iss"
        c.audience = ["a"]
        c.notBefore = sealedAt
        c.authenticatedAt = sealedAt
        c.tokenID = String(repeating: "x", count: 40)
        XCTAssertNotEqual(c, claims(tokenID: "abc"))
        c.issuer = nil
        c.audience = []
        c.notBefore = nil
        c.authenticatedAt = nil
        c.tokenID = "abc"
        XCTAssertEqual(c, claims(tokenID: "abc"))
        XCTAssertEqual(claims(tokenID: "abc"), c)
    }

    /// The fast claims path keeps a `sid` of up to 24 bytes inline and leaves a longer one to the
    /// strict reader, which reads it; both give the same claims as the public initializer. A
    /// `jti` (another writer's) is always the strict reader's.
    func testFastPathTakesSIDUpToInlineCapacity() {
        let limits = JSONLimits(maxDepth: 16, maxMembers: 256)
        for length in [0, 1, 15, 16, 22, 23, 24, 25, 26, 40] {
            let sid = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "A") + UInt8($0 % 26))) })
            let json = Array(#"{"sub":"u","iat":1795910400,"exp":1798502400,"sid":"\#(sid)","auth_time":1795000000}"#.utf8)
            let expected = SessionClaims(
                subject: "u", issuedAt: Date(timeIntervalSince1970: 1_795_910_400),
                expiresAt: Date(timeIntervalSince1970: 1_798_502_400),
                authenticatedAt: Date(timeIntervalSince1970: 1_795_000_000), sessionID: sid)
            let fast = json.withUnsafeBytes { ClaimsReader.readFast($0, limits: limits) }
            let read = json.withUnsafeBytes { try? ClaimsReader.read($0, limits: limits) }
            if length <= InlineText.capacity {
                XCTAssertEqual(fast, expected, "sid of \(length)")
            } else {
                XCTAssertNil(fast, "sid of \(length)")
            }
            XCTAssertEqual(read, expected, "sid of \(length)")
            XCTAssertEqual(read?.sessionID, sid)

            let withJTI = Array(#"{"sub":"u","iat":1795910400,"exp":1798502400,"jti":"\#(sid)"}"#.utf8)
            XCTAssertNil(withJTI.withUnsafeBytes { ClaimsReader.readFast($0, limits: limits) })
            let strict = withJTI.withUnsafeBytes { try? ClaimsReader.read($0, limits: limits) }
            XCTAssertEqual(strict?.tokenID, sid)
            XCTAssertNil(strict?.sessionID)
        }
    }
}
