import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// Wycheproof's XChaCha20-Poly1305 file through the library's AEAD layer: every valid case
/// seals to the expected bytes and opens; every invalid one is refused.
final class WycheproofAEADTests: XCTestCase {
    func open(_ t: WycheproofAEADTest) -> [UInt8]? {
        let key = [UInt8](hex: t.key), iv = [UInt8](hex: t.iv), aad = [UInt8](hex: t.aad)
        let ct = [UInt8](hex: t.ct), tag = [UInt8](hex: t.tag)
        var out = [UInt8](repeating: 0, count: ct.count)
        let ok = ct.withUnsafeBytes { c in
            tag.withUnsafeBytes { g in
                aad.withUnsafeBytes { a in
                    iv.withUnsafeBytes { n in
                        key.withUnsafeBytes { k in
                            out.withUnsafeMutableBytes {
                                XChaCha20Poly1305.open(ciphertext: c, tag: g, additionalData: a, nonce: n, key: k, plaintext: $0)
                            }
                        }
                    }
                }
            }
        }
        return ok ? out : nil
    }

    func testXChaCha20Poly1305() throws {
        let file = try VectorFiles.wycheproof(
            "xchacha20_poly1305_test.json", as: WycheproofFile<WycheproofAEADGroup>.self)
        var valid = 0, invalid = 0
        for t in file.testGroups.flatMap(\.tests) {
            if t.result == "valid" {
                valid += 1
                XCTAssertEqual(open(t)?.hex, t.msg, "tcId \(t.tcId) opens")
                // Sealing the message gives the same ciphertext and tag.
                let key = [UInt8](hex: t.key), iv = [UInt8](hex: t.iv), aad = [UInt8](hex: t.aad), msg = [UInt8](hex: t.msg)
                var ct = [UInt8](repeating: 0, count: msg.count), tag = [UInt8](repeating: 0, count: 16)
                msg.withUnsafeBytes { m in
                    aad.withUnsafeBytes { a in
                        iv.withUnsafeBytes { n in
                            key.withUnsafeBytes { k in
                                ct.withUnsafeMutableBytes { c in
                                    tag.withUnsafeMutableBytes { g in
                                        XChaCha20Poly1305.seal(plaintext: m, additionalData: a, nonce: n, key: k, ciphertext: c, tag: g)
                                    }
                                }
                            }
                        }
                    }
                }
                XCTAssertEqual(ct.hex, t.ct, "tcId \(t.tcId) ciphertext")
                XCTAssertEqual(tag.hex, t.tag, "tcId \(t.tcId) tag")
                // And a forgery beside every success: the last tag bit flipped is refused.
                var forged = t
                var tagBytes = [UInt8](hex: t.tag)
                tagBytes[15] ^= 0x80
                forged.tag = tagBytes.hex
                XCTAssertNil(open(forged), "tcId \(t.tcId) with a flipped tag bit")
            } else {
                invalid += 1
                XCTAssertNil(open(t), "tcId \(t.tcId) must be refused")
            }
        }
        XCTAssertEqual(valid, 246)
        XCTAssertEqual(invalid, 69)
    }
}
