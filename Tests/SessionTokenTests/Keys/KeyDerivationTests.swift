import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// HKDF-SHA-256 built on libsodium's HMAC, against RFC 5869 and Wycheproof.
final class KeyDerivationTests: XCTestCase {
    func hkdf(ikm: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: length)
        let ok = ikm.withUnsafeBytes { i in
            salt.withUnsafeBytes { s in
                info.withUnsafeBytes { n in
                    out.withUnsafeMutableBytes { HKDF.deriveKey(inputKeyMaterial: i, salt: s, info: n, into: $0) }
                }
            }
        }
        return ok ? out : nil
    }

    func testRFC5869SHA256Cases() {
        // RFC 5869 Appendix A.1 to A.3.
        XCTAssertEqual(hkdf(ikm: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9), length: 42)?.hex,
                       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        XCTAssertEqual(hkdf(ikm: Array(0x00...0x4f), salt: Array(0x60...0xaf), info: Array(0xb0...0xff), length: 82)?.hex,
                       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")
        XCTAssertEqual(hkdf(ikm: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], length: 42)?.hex,
                       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    struct HKDFTest: Decodable {
        var tcId: Int
        var ikm: String
        var salt: String
        var info: String
        var size: Int
        var okm: String
        var result: String
    }

    func testWycheproofHKDFSHA256() throws {
        let file = try VectorFiles.wycheproof(
            "hkdf_sha256_test.json", as: WycheproofFile<WycheproofGroup<HKDFTest>>.self)
        var valid = 0, invalid = 0
        for test in file.testGroups.flatMap(\.tests) {
            let out = hkdf(ikm: [UInt8](hex: test.ikm), salt: [UInt8](hex: test.salt), info: [UInt8](hex: test.info), length: test.size)
            switch test.result {
            case "valid":
                XCTAssertEqual(out?.hex, test.okm, "tcId \(test.tcId)")
                valid += 1
            default:
                XCTAssertNil(out, "tcId \(test.tcId) must be refused")
                invalid += 1
            }
        }
        XCTAssertEqual(valid + invalid, 86)
        XCTAssertGreaterThan(invalid, 0)
    }

    func testEveryInputMatters() throws {
        let base = hkdf(ikm: Array(0..<32), salt: Array(0..<16), info: Array("x".utf8), length: 32)
        XCTAssertNotNil(base)
        XCTAssertNotEqual(hkdf(ikm: Array(1..<33), salt: Array(0..<16), info: Array("x".utf8), length: 32), base)
        XCTAssertNotEqual(hkdf(ikm: Array(0..<32), salt: Array(1..<17), info: Array("x".utf8), length: 32), base)
        XCTAssertNotEqual(hkdf(ikm: Array(0..<32), salt: Array(0..<16), info: Array("y".utf8), length: 32), base)
        XCTAssertEqual(hkdf(ikm: Array(0..<32), salt: Array(0..<16), info: Array("x".utf8), length: 16), base.map { Array($0.prefix(16)) })
        XCTAssertNil(hkdf(ikm: [], salt: [], info: [], length: 0))
        XCTAssertNil(hkdf(ikm: [], salt: [], info: [], length: 255 * 32 + 1))
        XCTAssertNotNil(hkdf(ikm: [], salt: [], info: [], length: 255 * 32))
    }

    func testDerivedKeys() throws {
        let secret = String(repeating: "s3cr3t-", count: 5)  // 35 bytes
        let sessions = try SessionKey.derive(fromSecret: secret, purpose: "sessions")
        let again = try SessionKey.derive(fromSecret: secret, purpose: "sessions")
        let csrf = try SessionKey.derive(fromSecret: secret, purpose: "csrf")
        XCTAssertEqual(sessions, again)
        XCTAssertFalse(sessions.hasSameBytes(as: csrf))
        XCTAssertEqual(sessions.id, sessions.derivedID)
        XCTAssertNotEqual(sessions.id, csrf.id)
        XCTAssertEqual(try SessionKey.derive(fromSecret: secret, purpose: "sessions", id: "s1").id, "s1")
        // The derivation is HKDF-SHA-256(secret, salt "", info "swift-session-token/v1/<purpose>").
        let expected = hkdf(ikm: Array(secret.utf8), salt: [], info: Array("swift-session-token/v1/sessions".utf8), length: 32)
        XCTAssertEqual(sessions.exportBase64URL(), try SessionKey(id: "x", bytes: expected ?? []).exportBase64URL())
    }

    func testShortSecretsAndBadPurposesAreRefused() {
        XCTAssertThrowsError(try SessionKey.derive(fromSecret: String(repeating: "a", count: 31), purpose: "p")) { error in
            guard case .configuration(let message)? = error as? SessionTokenError else { return XCTFail() }
            XCTAssertTrue(message.contains("at least 32 bytes"), message)
            XCTAssertFalse(message.contains("aaaa"))
        }
        XCTAssertThrowsError(try SessionKey.derive(fromSecret: String(repeating: "a", count: 32), purpose: ""))
        XCTAssertThrowsError(try SessionKey.derive(fromSecret: String(repeating: "a", count: 32), purpose: String(repeating: "p", count: 129)))
        XCTAssertThrowsError(try SessionKey.derive(fromSecret: String(repeating: "a", count: 32), purpose: "p", id: "bad id"))
        XCTAssertNoThrow(try SessionKey.derive(fromSecret: String(repeating: "a", count: 32), purpose: "p"))
    }
}
