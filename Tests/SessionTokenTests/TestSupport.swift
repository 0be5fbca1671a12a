import Foundation
import XCTest
import SessionTokenTestSupport

@testable import SessionToken
import SessionTokenInternals

/// Fixed keys and helpers shared by the tests.
enum Fixture {
    static let key1 = try! SessionKey(id: "k1", bytes: (0..<32).map { UInt8($0) })
    static let key2 = try! SessionKey(id: "k2", bytes: (0..<32).map { UInt8(0xC0 ^ $0) })
    static let ring = try! KeyRing(primary: key1, accepted: [key2])
    static let sealer = try! SessionSealer(keys: ring)
    /// The same keys without the absolute session limit: for tests of the format whose forged
    /// claims carry no `auth_time` or `iat` (with the limit, such a token is refused for that,
    /// and a test of another rule could not fail).
    static let formatSealer = try! SessionSealer(keys: ring, absoluteLifetime: nil)
    /// 2027-01-15T08:00:00Z: a fixed "now" for every time-dependent test.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func base64URL(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { Base64URL.encode($0) } }
    static func base64URL(_ text: String) -> String { base64URL(Array(text.utf8)) }

    /// Builds a token with a correct AEAD over arbitrary header and claims text, so a test can
    /// check that the opener refuses it for its structure, not for its tag. It is sealed with
    /// `key`'s key for `purpose` (sessions by default), as a sealer would; with `purpose` nil,
    /// with `key`'s own bytes.
    static func forge(
        header: String, claims: String, key: SessionKey = key1, purpose: TokenPurpose? = .session,
        nonceLength: Int = 24, tagLength: Int = 16, encryptedKey: String = ""
    ) -> String {
        forge(header: header, claimBytes: Array(claims.utf8), key: key, purpose: purpose, nonceLength: nonceLength,
              tagLength: tagLength, encryptedKey: encryptedKey)
    }

    /// As ``forge(header:claims:key:nonceLength:tagLength:encryptedKey:)`` with raw claim bytes.
    static func forge(
        header: String, claimBytes plaintext: [UInt8], key: SessionKey = key1, purpose: TokenPurpose? = .session,
        nonceLength: Int = 24, tagLength: Int = 16, encryptedKey: String = ""
    ) -> String {
        let key = purpose.map { try! key.derived(for: $0) } ?? key
        let headerSegment = base64URL(header)
        var nonce = [UInt8](repeating: 0, count: 24)
        nonce.withUnsafeMutableBytes { Sodium.randomBytes($0) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        plaintext.withUnsafeBytes { p in
            Array(headerSegment.utf8).withUnsafeBytes { aad in
                nonce.withUnsafeBytes { n in
                    key.secret.withUnsafeBytes { k in
                        ciphertext.withUnsafeMutableBytes { c in
                            tag.withUnsafeMutableBytes { t in
                                XChaCha20Poly1305.seal(
                                    plaintext: p, additionalData: aad, nonce: n, key: k, ciphertext: c, tag: t)
                            }
                        }
                    }
                }
            }
        }
        let nonceOut = Array(nonce.prefix(nonceLength)) + [UInt8](repeating: 0, count: max(0, nonceLength - 24))
        let tagOut = Array(tag.prefix(tagLength)) + [UInt8](repeating: 0, count: max(0, tagLength - 16))
        return [headerSegment, encryptedKey, base64URL(nonceOut), base64URL(ciphertext), base64URL(tagOut)]
            .joined(separator: ".")
    }

    static let standardHeader = #"{"alg":"dir","enc":"XC20P","kid":"k1"}"#
    static let standardClaims = #"{"sub":"user-42","iat":1799990000,"exp":1800090000,"sid":"abc","auth_time":1799990000}"#
}


/// Asserts that flipping any single bit of `token` makes `sealer` refuse it as `invalid`.
func XCTAssertEveryBitFlipIsInvalid(
    _ token: String, sealer: SessionSealer, at now: Date, file: StaticString = #filePath, line: UInt = #line
) {
    let bytes = Array(token.utf8)
    var tried = 0
    for index in bytes.indices {
        for bit in 0..<8 {
            var copy = bytes
            copy[index] ^= 1 << bit
            let forged = String(decoding: copy, as: UTF8.self)
            guard forged != token else { continue }
            tried += 1
            XCTAssertTokenError(.invalid, try sealer.open(forged, at: now), "byte \(index) bit \(bit)", file: file, line: line)
        }
    }
    XCTAssertEqual(tried, bytes.count * 8, file: file, line: line)
}
