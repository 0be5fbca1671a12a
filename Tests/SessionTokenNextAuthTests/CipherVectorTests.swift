import Crypto
import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth

/// The content-encryption layer against the RFCs' own examples
/// (`Tests/Vectors/nextauth/rfc-vectors.json`, checked by `generate_rfc.py`).
final class CipherVectorTests: XCTestCase {
    struct Vector: Decodable {
        var source: String
        var key: String
        var iv: String?
        var aad: String?
        var plaintext: String
        var ciphertext: String?
        var tag: String?
        var compact: String?
    }

    static func load() throws -> [String: Vector] {
        let data = try VectorFiles.data("nextauth/rfc-vectors.json")
        struct Document: Decodable {
            var rfc7516_a1: Vector
            var rfc7518_b3: Vector
            var rfc7520_5_6: Vector
        }
        let document = try JSONDecoder().decode(Document.self, from: data)
        return ["7516": document.rfc7516_a1, "7518": document.rfc7518_b3, "7520": document.rfc7520_5_6]
    }

    func testRFC7516AppendixA1ContentEncryptionWithA256GCM() throws {
        let v = try XCTUnwrap(Self.load()["7516"])
        let key = SymmetricKey(data: hexBytes(v.key))
        XCTAssertEqual(key.bitCount, 256)
        let plaintext = AESGCMContent.open(
            ciphertext: hexBytes(v.ciphertext ?? ""), tag: hexBytes(v.tag ?? ""), iv: hexBytes(v.iv ?? ""),
            additionalData: hexBytes(v.aad ?? ""), key: key)
        XCTAssertEqual(plaintext, hexBytes(v.plaintext), v.source)
        XCTAssertEqual(String(decoding: hexBytes(v.plaintext), as: UTF8.self),
                       "The true sign of intelligence is not knowledge but imagination.")
        // One flipped bit anywhere is refused.
        var tag = hexBytes(v.tag ?? "")
        tag[15] ^= 1
        XCTAssertNil(AESGCMContent.open(
            ciphertext: hexBytes(v.ciphertext ?? ""), tag: tag, iv: hexBytes(v.iv ?? ""),
            additionalData: hexBytes(v.aad ?? ""), key: key))
        var aad = hexBytes(v.aad ?? "")
        aad[0] ^= 1
        XCTAssertNil(AESGCMContent.open(
            ciphertext: hexBytes(v.ciphertext ?? ""), tag: hexBytes(v.tag ?? ""), iv: hexBytes(v.iv ?? ""),
            additionalData: aad, key: key))
    }

    func testRFC7518AppendixB3A256CBCHS512() throws {
        let v = try XCTUnwrap(Self.load()["7518"])
        let key = try XCTUnwrap(AESCBCHMACContent.Key(composite: SymmetricKey(data: hexBytes(v.key))))
        let ciphertext = hexBytes(v.ciphertext ?? ""), tag = hexBytes(v.tag ?? ""), iv = hexBytes(v.iv ?? "")
        let aad = hexBytes(v.aad ?? "")
        XCTAssertEqual(
            AESCBCHMACContent.open(ciphertext: ciphertext, tag: tag, iv: iv, additionalData: aad, key: key),
            hexBytes(v.plaintext), v.source)
        // The MAC input and the AES step, each on its own, as the RFC lays them out: swift-crypto's
        // HMAC over AAD || IV || ciphertext || AL gives the RFC's tag, and libsodium's check
        // (which decoding runs) accepts it.
        let macInput = aad + iv + ciphertext + withUnsafeBytes(of: (UInt64(aad.count) * 8).bigEndian) { Array($0) }
        let macKey = Array(hexBytes(v.key).prefix(32))
        let mac = HMAC<SHA512>.authenticationCode(for: macInput, using: SymmetricKey(data: macKey))
        XCTAssertEqual(Array(Data(mac).prefix(32)), tag)
        XCTAssertTrue(AESCBCHMACContent.verifyTruncatedHMAC(tag: tag, message: macInput, key: macKey))
        XCTAssertFalse(AESCBCHMACContent.verifyTruncatedHMAC(tag: tag, message: macInput.dropLast(1), key: macKey))
        let reencrypted = try AES._CBC.encrypt(hexBytes(v.plaintext), using: key.encryption, iv: AES._CBC.IV(ivBytes: iv))
        XCTAssertEqual(Array(reencrypted), ciphertext)
        // Every single-bit change of the tag, IV, ciphertext and AAD is refused.
        for (index, part) in [tag, iv, ciphertext, aad].enumerated() {
            for position in stride(from: 0, to: part.count, by: 7) {
                var parts = [tag, iv, ciphertext, aad]
                parts[index][position] ^= 0x80
                XCTAssertNil(AESCBCHMACContent.open(
                    ciphertext: parts[2], tag: parts[0], iv: parts[1], additionalData: parts[3], key: key),
                             "part \(index) byte \(position)")
            }
        }
        // Wrong sizes are refused before any cryptography.
        XCTAssertNil(AESCBCHMACContent.open(ciphertext: ciphertext, tag: Array(tag.prefix(16)), iv: iv, additionalData: aad, key: key))
        XCTAssertNil(AESCBCHMACContent.open(ciphertext: ciphertext.dropLast(1), tag: tag, iv: iv, additionalData: aad, key: key))
        XCTAssertNil(AESCBCHMACContent.Key(composite: SymmetricKey(size: .bits256)))
    }

    func testRFC7520Section5_6WholeDirJWEThroughTheGCMLayer() throws {
        let v = try XCTUnwrap(Self.load()["7520"])
        let compact = try XCTUnwrap(v.compact)
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(parts.count, 5)
        XCTAssertEqual(parts[1], "", "dir: empty encrypted key")
        let header = try XCTUnwrap(unb64(parts[0]))
        XCTAssertEqual(String(decoding: header, as: UTF8.self),
                       #"{"alg":"dir","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","enc":"A128GCM"}"#)
        let key = SymmetricKey(data: hexBytes(v.key))
        XCTAssertEqual(key.bitCount, 128)
        let plaintext = AESGCMContent.open(
            ciphertext: try XCTUnwrap(unb64(parts[3])), tag: try XCTUnwrap(unb64(parts[4])),
            iv: try XCTUnwrap(unb64(parts[2])), additionalData: Array(parts[0].utf8), key: key)
        XCTAssertEqual(plaintext, hexBytes(v.plaintext), v.source)
        XCTAssertTrue(String(decoding: hexBytes(v.plaintext), as: UTF8.self).hasSuffix("We are your friends, Frodo."))
    }

    func testGCMSealOpensAndNeedsTheSameAAD() throws {
        let key = SymmetricKey(size: .bits256)
        // Both implementations seal in place (libsodium's precomputed state, and swift-crypto's
        // without it); the array form of `open` opens each one's output with both.
        for precompute in [true, false] {
            var text = Array("hello".utf8)
            var tag = [UInt8](repeating: 0, count: 16)
            let iv = (0..<12).map { UInt8($0 * 7) }
            let sealed = text.withUnsafeMutableBytes { text in
                tag.withUnsafeMutableBytes { tag in
                    iv.withUnsafeBytes { iv in
                        Array("aad".utf8).withUnsafeBytes {
                            AESGCMContent.seal(text, additionalData: $0, iv: iv, key: .init(key, precompute: precompute), tag: tag)
                        }
                    }
                }
            }
            XCTAssertTrue(sealed)
            XCTAssertNotEqual(text, Array("hello".utf8), "encrypted in place")
            XCTAssertEqual(AESGCMContent.open(ciphertext: text, tag: tag, iv: iv, additionalData: Array("aad".utf8), key: key),
                           Array("hello".utf8))
            XCTAssertNil(AESGCMContent.open(ciphertext: text, tag: tag, iv: iv, additionalData: Array("aaD".utf8), key: key))
            XCTAssertNil(AESGCMContent.open(ciphertext: text, tag: tag, iv: iv, additionalData: Array("aad".utf8),
                                            key: SymmetricKey(size: .bits192)))
            // A wrong IV length is refused, not sealed.
            XCTAssertFalse(text.withUnsafeMutableBytes { text in
                tag.withUnsafeMutableBytes { tag in
                    Array(iv.prefix(11)).withUnsafeBytes { iv in
                        AESGCMContent.seal(text, additionalData: UnsafeRawBufferPointer(start: nil, count: 0), iv: iv,
                                           key: .init(key, precompute: precompute), tag: tag)
                    }
                }
            })
        }
    }

    func testConstantTimeHelpers() {
        XCTAssertTrue(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equal([UInt8](), [UInt8]()))
        // The branch-free encoder agrees with the core's table-driven one for every length and value.
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length &* 11) }
            XCTAssertEqual(ConstantTime.base64URL(bytes), b64(bytes), "length \(length)")
        }
        XCTAssertEqual(ConstantTime.base64URL((0...255).map { UInt8($0) }), b64((0...255).map { UInt8($0) }))
    }
}
