import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth

/// The committed vectors of `Tests/Vectors/nextauth/generate_nextauth.py`: tokens written by
/// joserfc and `cryptography` under next-auth's and Auth.js's derivations.
final class VectorTests: XCTestCase {
    struct Document: Decodable {
        struct Vector: Decodable {
            var id: String
            var comment: String
            var format: String
            var secrets: [String]
            var now: Double
            var token: String
            var expect: String
        }
        var counts: [String: Int]
        var vectors: [Vector]
    }

    static func load() throws -> (Document, [String: Data]) {
        let data = try VectorFiles.data("nextauth/nextauth-vectors.json")
        let document = try JSONDecoder().decode(Document.self, from: data)
        // The expected claims, compared as parsed JSON.
        var claims: [String: Data] = [:]
        let raw = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for case let vector as [String: Any] in try XCTUnwrap(raw["vectors"] as? [Any]) {
            if let id = vector["id"] as? String, let expected = vector["claims"] {
                claims[id] = try JSONSerialization.data(withJSONObject: expected)
            }
        }
        return (document, claims)
    }

    static func format(_ text: String) -> NextAuthFormat { text == "v4" ? .v4 : .v5(cookieName: text) }

    func testEveryVectorHasItsExpectedOutcome() throws {
        let (document, expectedClaims) = try Self.load()
        var outcomes: [String: Int] = [:]
        for vector in document.vectors {
            let codec = try NextAuthCodec(secrets: vector.secrets, format: Self.format(vector.format))
            let now = Date(timeIntervalSince1970: vector.now)
            let label = "\(vector.id): \(vector.comment)"
            switch vector.expect {
            case "valid":
                let payload = try codec.withVerifiedPayload(vector.token, at: now, picking: []) { _, _, payload in Data(payload) }
                let expected = try XCTUnwrap(expectedClaims[vector.id])
                XCTAssertEqual(jsonObject(payload), jsonObject(expected), label)
                // The typed view agrees with the JSON.
                let claims = try codec.decode(vector.token, at: now)
                let object = try XCTUnwrap(jsonObject(expected))
                XCTAssertEqual(claims.subject, object["sub"] as? String, label)
                XCTAssertEqual(claims.name, object["name"] as? String, label)
                XCTAssertEqual(claims.email, object["email"] as? String, label)
                XCTAssertEqual(claims.picture, object["picture"] as? String, label)
                XCTAssertEqual(claims.tokenID, object["jti"] as? String, label)
                XCTAssertEqual(claims.expiresAt.timeIntervalSince1970, (object["exp"] as? NSNumber)?.doubleValue, label)
                // Re-issued (at the same moment: some are near their end), the token keeps every
                // claim joserfc wrote but the three new ones.
                let later = now
                let reissued = try codec.reissue(vector.token, at: later)
                let again = try codec.withVerifiedPayload(reissued, at: later, picking: []) { _, _, payload in Data(payload) }
                let kept = try XCTUnwrap(jsonObject(again)).mutableCopy() as! NSMutableDictionary
                let original = object.mutableCopy() as! NSMutableDictionary
                XCTAssertEqual(kept["iat"] as? NSNumber, NSNumber(value: later.timeIntervalSince1970.rounded(.down)), label)
                XCTAssertNotEqual(kept["jti"] as? String, original["jti"] as? String, label)
                kept.removeObjects(forKeys: ["iat", "exp", "jti"])
                original.removeObjects(forKeys: ["iat", "exp", "jti"])
                XCTAssertEqual(kept, original, label)
            case "invalid":
                XCTAssertTokenError(.invalid, try codec.decode(vector.token, at: now), label)
            case "expired":
                XCTAssertTokenError(.expired, try codec.decode(vector.token, at: now), label)
            case "notYetValid":
                XCTAssertTokenError(.notYetValid, try codec.decode(vector.token, at: now), label)
            default:
                XCTFail("unknown expectation \(vector.expect) in \(vector.id)")
            }
            outcomes[vector.expect, default: 0] += 1
        }
        let valid = outcomes["valid", default: 0]
        XCTAssertGreaterThanOrEqual(valid, 10)
        XCTAssertGreaterThanOrEqual(document.vectors.count - valid, valid, "at least as many failures as successes")
        XCTAssertEqual(document.counts["valid"], valid)
    }

    func testVectorsCoverTheIssuesCases() throws {
        let (document, _) = try Self.load()
        let ids = Set(document.vectors.map(\.id))
        for required in ["v4-basic", "v5-rotated-old-secret", "v5-http", "v5-https", "v5-gcm", "v4-exp-tolerance-inside",
                         "v4-exp-tolerance-edge", "v4-tamper-header", "v4-tamper-encrypted-key", "v4-tamper-iv",
                         "v4-tamper-ciphertext", "v4-tamper-tag", "v4-wrong-secret", "v5-salt-mismatch-http",
                         "v5-no-kid-first-secret", "v5-no-kid-second-secret"] {
            XCTAssertTrue(ids.contains(required), required)
        }
    }

    /// The same valid tokens, with a custom Codable type for the members a `jwt` callback adds.
    func testCustomClaimsDecodeThroughCodable() throws {
        struct AppClaims: Decodable, Equatable {
            struct Org: Decodable, Equatable { var id: Int; var beta: Bool }
            var sub: String
            var role: String
            var groups: [String]
            var org: Org
            var exp: Date
        }
        let (document, _) = try Self.load()
        let vector = try XCTUnwrap(document.vectors.first { $0.id == "v5-custom-claims" })
        let codec = try NextAuthCodec(secrets: vector.secrets, format: Self.format(vector.format))
        let claims = try codec.decode(vector.token, as: AppClaims.self, at: Date(timeIntervalSince1970: vector.now))
        XCTAssertEqual(claims.role, "admin")
        XCTAssertEqual(claims.groups, ["a", "b"])
        XCTAssertEqual(claims.org, AppClaims.Org(id: 7, beta: true))
        // A type the claims do not fit is `invalid`, like any unusable claims.
        struct Wrong: Decodable { var role: Int }
        XCTAssertTokenError(.invalid, try codec.decode(vector.token, as: Wrong.self, at: Date(timeIntervalSince1970: vector.now)))
    }
}
