import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth

/// Tokens this package encoded, as recorded by `Tests/Vectors/nextauth/check_swift_tokens.py`
/// after joserfc and jwcrypto decrypted them under next-auth's derivation. The script needs
/// Python and is not run here; this test checks its record still holds for this code.
final class InteropFixtureTests: XCTestCase {
    struct Record: Decodable {
        var id: String
        var secrets: [String]
        var salt: String?
        var now: Double
        var token: String
        var header: [String: String]
        var decrypted: Bool
    }
    struct Document: Decodable { var tokens: [Record] }

    func testTokensEncodedHereDecryptedWithJoserfcAndJwcrypto() throws {
        let data = try VectorFiles.data("nextauth/swift-encoded-check.json")
        let document = try JSONDecoder().decode(Document.self, from: data)
        let raw = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rawTokens = try XCTUnwrap(raw["tokens"] as? [[String: Any]])
        XCTAssertEqual(Set(document.tokens.map(\.id)), ["v4", "v4-rotated", "v5-http", "v5-https", "v5-rotated"])
        for (record, rawRecord) in zip(document.tokens, rawTokens) {
            XCTAssertTrue(record.decrypted, record.id)
            let format: NextAuthFormat = record.salt.map { .v5(cookieName: $0) } ?? .v4
            let codec = try NextAuthCodec(secrets: record.secrets, format: format)
            let now = Date(timeIntervalSince1970: record.now)
            // The header is what this codec writes today.
            XCTAssertEqual(record.header["alg"], "dir")
            if case .v5 = format {
                XCTAssertEqual(record.header["enc"], "A256CBC-HS512", record.id)
                XCTAssertEqual(record.header["kid"], codec.secrets[0].cbcKeyID, record.id)
            } else {
                XCTAssertEqual(record.header, ["alg": "dir", "enc": "A256GCM"], record.id)
            }
            // Both Python libraries read the same claims, and so does this codec.
            let joserfc = try JSONSerialization.data(withJSONObject: try XCTUnwrap(rawRecord["joserfc"]))
            let jwcrypto = try JSONSerialization.data(withJSONObject: try XCTUnwrap(rawRecord["jwcrypto"]))
            XCTAssertEqual(jsonObject(joserfc), jsonObject(jwcrypto), record.id)
            let ours = try codec.withVerifiedPayload(record.token, at: now, picking: []) { _, _, payload in Data(payload) }
            XCTAssertEqual(jsonObject(ours), jsonObject(joserfc), record.id)
            let claims = try codec.decode(record.token, at: now)
            XCTAssertEqual(claims.issuedAt, now)
            XCTAssertEqual(claims.expiresAt, now.addingTimeInterval(86_400))
        }
    }
}
