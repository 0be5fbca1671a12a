import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth
import SessionTokenInternals

/// The fast claims path for next-auth's two payload shapes must read exactly what the strict
/// reader reads, and leave everything else to it. Random payloads in both shapes, with every
/// optional member in or out and values of every kind (plain, escaped, non-ASCII, `null`,
/// fractions, exponents, long numbers), plus the same payloads broken: white space, members
/// swapped or repeated, an extra member, trailing bytes.
final class FastClaimsTests: XCTestCase {
    typealias Read = (claims: SessionClaims, picked: [String?])

    func strict(_ text: String) -> Read? {
        Array(text.utf8).withUnsafeBytes {
            try? ClaimsReader.read($0, limits: NextAuthCodec.claimsLimits, picking: NextAuthCodec.profileMembers)
        }
    }

    func fast(_ text: String, picking: [StaticString] = NextAuthCodec.profileMembers) -> Read? {
        Array(text.utf8).withUnsafeBytes { NextAuthCodec.readFast($0, picking: picking) }
    }

    func testTheFastPathReadsWhatTheStrictReaderReads() {
        var generator = SystemRandomNumberGenerator()
        let strings = [#""Ada Lovelace""#, #""""#, "null", #""a\"b""#, #""caf\u00e9""#, "\"café\"", #""x\\y""#, "1", "true",
                       #""https://example.com/a.png?x=1&y=2""#]
        let numbers = ["1800000000", "0", "-5", "1800000000.5", "1800000000.123", "1800000000.1234", "1e9", "01",
                       "123456789012345", "1234567890123456", "1800000000.", "\"1800000000\""]
        func pick<T>(_ values: [T]) -> T { values.randomElement(using: &generator)! }
        var taken = 0, left = 0
        for round in 0..<6_000 {
            var members: [(String, String)] = []
            let jose = round % 2 == 0
            func maybe(_ name: String, _ value: @autoclosure () -> String) {
                if Bool.random(using: &generator) { members.append((name, value())) }
            }
            if jose {
                maybe("name", pick(strings)); maybe("email", pick(strings)); maybe("picture", pick(strings))
                maybe("sub", pick(strings))
                members += [("iat", pick(numbers)), ("exp", pick(numbers)), ("jti", pick(strings))]
            } else {
                maybe("auth_time", pick(numbers)); maybe("email", pick(strings))
                members += [("exp", pick(numbers)), ("iat", pick(numbers)), ("jti", pick(strings))]
                maybe("name", pick(strings)); maybe("picture", pick(strings)); maybe("sid", pick(strings))
                maybe("sub", pick(strings))
            }
            // Mostly well-formed values, so that the fast path is taken often enough.
            if round % 3 == 0 {
                members = members.map { ($0.0, ["iat", "exp", "auth_time"].contains($0.0) ? "1800000000" : #""v\#(round)""#) }
            }
            switch round % 11 {
            case 1: members.swapAt(0, members.count - 1)
            case 2: members.append(members[0])
            case 3: members.insert(("role", #""admin""#), at: Int.random(in: 0...members.count, using: &generator))
            default: break
            }
            var text = "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
            switch round % 13 {
            case 4: text = text.replacingOccurrences(of: ":", with: ": ")
            case 5: text += " "
            case 6: text += "x"
            case 7: text = " " + text
            default: break
            }
            let expected = strict(text)
            guard let got = fast(text) else {
                left += 1
                continue
            }
            taken += 1
            XCTAssertNotNil(expected, "the fast path accepted what the strict reader refuses: \(text)")
            XCTAssertEqual(got.claims, expected?.claims, text)
            XCTAssertEqual(got.picked, expected?.picked, text)
            // Picking nothing (generic decoding, re-issue) reads the same claims.
            XCTAssertEqual(fast(text, picking: [])?.claims, expected?.claims, text)
        }
        XCTAssertGreaterThan(taken, 600, "the fast path was taken")
        XCTAssertGreaterThan(left, 600, "and left to the strict reader")
    }

    /// What next-auth and this encoder write takes the fast path (it would be no use otherwise):
    /// jose's order from next-auth's default `jwt` callback, and this library's name order.
    func testTokensAsWrittenTakeTheFastPath() throws {
        let jose = #"{"name":"Ada","email":"ada@example.com","picture":null,"sub":"user-42","iat":1800000000,"exp":1802592000,"jti":"5f0c6e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6"}"#
        let read = try XCTUnwrap(fast(jose))
        XCTAssertEqual(read.picked, ["Ada", "ada@example.com", nil])
        XCTAssertEqual(read.claims.subject, "user-42")
        XCTAssertEqual(read.claims.tokenID, "5f0c6e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6")
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["s3cret"], format: format)
            let token = try codec.encode(
                NextAuthClaims(name: "Ada", email: "ada@example.com", subject: "user-42", expiresAt: fixedNow,
                               sessionID: "sid-1", authenticatedAt: fixedNow), at: fixedNow)
            let payload = try codec.withVerifiedPayload(token, at: fixedNow, picking: []) { _, _, payload in Array(payload) }
            XCTAssertNotNil(payload.withUnsafeBytes { NextAuthCodec.readFast($0, picking: NextAuthCodec.profileMembers) },
                            String(decoding: payload, as: UTF8.self))
        }
        // Another set of picked names never takes it.
        XCTAssertNil(fast(jose, picking: ["name"]))
    }
}
