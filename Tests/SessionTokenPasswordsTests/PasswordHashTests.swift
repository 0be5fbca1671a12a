import Foundation
import SessionTokenTestSupport
import XCTest

import SessionTokenPasswords

/// Argon2id through libsodium, against hashes made by an independent implementation
/// (argon2-cffi: `Tests/Vectors/passwords/generate_argon2id.py`).
final class PasswordHashTests: XCTestCase {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let password: String
            let hash: String
            let valid: Bool
            let comment: String
        }
        let generator: String
        let cases: [Case]
    }

    func testIndependentHashesVerifyAndTheirFailuresDoNot() throws {
        let vectors = try VectorFiles.load("passwords/argon2id-vectors.json", as: Vectors.self)
        XCTAssertTrue(vectors.generator.hasPrefix("argon2-cffi"))
        let valid = vectors.cases.filter(\.valid).count
        XCTAssertGreaterThanOrEqual(vectors.cases.count - valid, valid, "at least as many failures as successes")
        for vector in vectors.cases {
            XCTAssertEqual(PasswordHash.verify(vector.password, against: vector.hash), vector.valid, vector.comment)
        }
    }

    func testHashesVerifyOnlyTheirPasswordAndSaltEachTime() throws {
        let first = try PasswordHash.hash("correct horse battery staple")
        let second = try PasswordHash.hash("correct horse battery staple")
        XCTAssertTrue(first.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"), first)
        XCTAssertNotEqual(first, second, "a fresh salt each time")
        XCTAssertTrue(PasswordHash.verify("correct horse battery staple", against: first))
        XCTAssertTrue(PasswordHash.verify("correct horse battery staple", against: second))
        XCTAssertFalse(PasswordHash.verify("correct horse battery stapler", against: first))
        XCTAssertFalse(PasswordHash.verify("", against: first))
        XCTAssertFalse(PasswordHash.needsRehash(first))
        XCTAssertTrue(PasswordHash.needsRehash(first, strength: .moderate))
        let empty = try PasswordHash.hash("")
        XCTAssertTrue(PasswordHash.verify("", against: empty))
        XCTAssertFalse(PasswordHash.verify(" ", against: empty))
    }

    func testLimitsAreExplicit() throws {
        let longest = String(repeating: "p", count: PasswordHash.maxPasswordBytes)
        let hashed = try PasswordHash.hash(longest)
        XCTAssertTrue(PasswordHash.verify(longest, against: hashed))
        XCTAssertFalse(PasswordHash.verify(longest + "p", against: hashed), "over the limit is never verified")
        XCTAssertThrowsExactly(PasswordHashError.passwordTooLong) { try PasswordHash.hash(longest + "p") }
        // A stored hash asking for more than the limits is refused before it is computed.
        let overMemory = hashed.replacingOccurrences(of: "m=65536", with: "m=\(PasswordHash.maxMemoryKiB + 1)")
        let overPasses = hashed.replacingOccurrences(of: "t=2", with: "t=\(PasswordHash.maxPasses + 1)")
        XCTAssertFalse(PasswordHash.verify(longest, against: overMemory))
        XCTAssertFalse(PasswordHash.verify(longest, against: overPasses))
        for garbage in ["", "$", "$argon2id$", "$argon2id$v=19$m=1,t=1$x$y", hashed + String(repeating: "A", count: 200),
            "$argon2id$v=19$m=99999999999999999999,t=2,p=1$c2FsdA$aGFzaA"] {
            XCTAssertFalse(PasswordHash.verify("x", against: garbage), garbage)
        }
    }
}
