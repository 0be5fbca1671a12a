import Crypto
import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth

/// Project Wycheproof against the primitives as this module calls them. The files are never
/// copied here: `VectorFiles.wycheproof` reads them from `$WYCHEPROOF_DIR`.
final class WycheproofTests: XCTestCase {
    struct Test: Decodable {
        var tcId: Int
        var comment: String
        var key: String
        var iv: String?
        var aad: String?
        var msg: String
        var ct: String?
        var tag: String?
        var result: String
    }
    struct Group: Decodable {
        var keySize: Int
        var ivSize: Int?
        var tagSize: Int?
        var tests: [Test]
    }

    func load(_ name: String) throws -> WycheproofFile<Group> {
        try VectorFiles.wycheproof(name, as: WycheproofFile<Group>.self)
    }

    /// AES-GCM through the JWE layer, on libsodium's precomputed state (256-bit keys, where the
    /// CPU has AES-NI) and on swift-crypto, which must agree on every case. Groups run: 256-bit keys (A256GCM) and 128-bit keys
    /// (A128GCM, RFC 7520 §5.6) with 96-bit IVs and 128-bit tags: every valid case opens,
    /// every invalid one is refused. Skipped: 192-bit keys (no JWE `enc` next-auth uses; the
    /// layer refuses them) and IVs other than 96 bits (JWE fixes 96; the layer refuses every
    /// other size, which is checked instead).
    func testAESGCMThroughTheJWELayer() throws {
        let file = try load("aes_gcm_test.json")
        var counts = (valid: 0, invalid: 0, refusedIV: 0)
        for group in file.testGroups where group.tagSize == 128 {
            for test in group.tests {
                let key = SymmetricKey(data: hexBytes(test.key))
                let opened = AESGCMContent.open(
                    ciphertext: hexBytes(test.ct ?? ""), tag: hexBytes(test.tag ?? ""), iv: hexBytes(test.iv ?? ""),
                    additionalData: hexBytes(test.aad ?? ""), key: key)
                let label = "tcId \(test.tcId) \(test.comment)"
                if group.ivSize != 96 {
                    XCTAssertNil(opened, "a \(group.ivSize ?? 0)-bit IV must be refused: \(label)")
                    counts.refusedIV += 1
                    continue
                }
                guard group.keySize == 256 || group.keySize == 128 else { continue }
                if test.result == "valid" {
                    XCTAssertEqual(opened, hexBytes(test.msg), label)
                    counts.valid += 1
                } else {
                    XCTAssertNil(opened, label)
                    counts.invalid += 1
                }
            }
        }
        XCTAssertGreaterThan(counts.valid, 50)
        XCTAssertGreaterThan(counts.invalid, 30)
        print("Wycheproof AES-GCM: \(counts.valid) valid and \(counts.invalid) invalid cases with 128/256-bit keys and 96-bit IVs; \(counts.refusedIV) other-IV cases refused; 192-bit key groups skipped")
    }

    /// AES-CBC with PKCS#7 as the A256CBC-HS512 layer runs it (after the MAC): every group (the
    /// layer's 256-bit keys, and 128 and 192, which the same code path handles). Valid cases
    /// decrypt and re-encrypt to the vector; invalid ones (bad padding) are refused.
    func testAESCBCPKCS5() throws {
        let file = try load("aes_cbc_pkcs5_test.json")
        var counts = (valid: 0, invalid: 0)
        for group in file.testGroups {
            for test in group.tests {
                let key = SymmetricKey(data: hexBytes(test.key))
                let iv = hexBytes(test.iv ?? ""), ct = hexBytes(test.ct ?? "")
                let label = "tcId \(test.tcId) \(test.comment)"
                let plaintext = AESCBCHMACContent.decryptCBC(ct, iv: iv, key: key)
                if test.result == "valid" {
                    XCTAssertEqual(plaintext.map(Array.init), hexBytes(test.msg), label)
                    let encrypted = try AES._CBC.encrypt(hexBytes(test.msg), using: key, iv: AES._CBC.IV(ivBytes: iv))
                    XCTAssertEqual(Array(encrypted), ct, label)
                    counts.valid += 1
                } else {
                    XCTAssertNil(plaintext, label)
                    counts.invalid += 1
                }
            }
        }
        XCTAssertEqual(counts.valid + counts.invalid, file.numberOfTests)
        print("Wycheproof AES-CBC-PKCS5: \(counts.valid) valid, \(counts.invalid) invalid, none skipped")
    }

    /// HMAC-SHA-512 (libsodium's) with the layer's truncated, constant-time tag check: every group (full
    /// 512-bit tags and 256-bit truncations, the size A256CBC-HS512 uses; all key sizes).
    func testHMACSHA512TruncatedTagCheck() throws {
        let file = try load("hmac_sha512_test.json")
        var counts = (valid: 0, invalid: 0)
        for group in file.testGroups {
            for test in group.tests {
                let tag = hexBytes(test.tag ?? "")
                let label = "tcId \(test.tcId) \(test.comment)"
                let ok = AESCBCHMACContent.verifyTruncatedHMAC(tag: tag, message: hexBytes(test.msg), key: hexBytes(test.key))
                XCTAssertEqual(tag.count * 8, group.tagSize, label)
                if test.result == "valid" {
                    XCTAssertTrue(ok, label)
                    counts.valid += 1
                } else {
                    XCTAssertFalse(ok, label)
                    counts.invalid += 1
                }
            }
        }
        XCTAssertEqual(counts.valid + counts.invalid, file.numberOfTests)
        print("Wycheproof HMAC-SHA-512: \(counts.valid) valid, \(counts.invalid) invalid, none skipped")
    }
}
