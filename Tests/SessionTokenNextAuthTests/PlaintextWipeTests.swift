import Foundation
import SessionToken
import XCTest

@testable import SessionTokenNextAuth

/// The decrypted claims of a next-auth token live in one scratch buffer that is zeroed when
/// decoding returns or throws. The scratch is the tests' here, so they can look at it after.
final class PlaintextWipeTests: XCTestCase {
    let user = NextAuthClaims(name: "Ada", email: "ada@example.com", picture: nil, subject: "user-42",
                              expiresAt: Date(timeIntervalSince1970: 0))

    func decodeWatchingScratch(
        _ codec: NextAuthCodec, _ token: String, at now: Date
    ) -> (seen: [UInt8], scratch: [UInt8], error: SessionTokenError?) {
        var scratch = [UInt8](repeating: 0xA5, count: token.utf8.count)
        var seen: [UInt8] = []
        var failure: SessionTokenError?
        Array(token.utf8).withUnsafeBytes { bytes in
            scratch.withUnsafeMutableBytes { buffer in
                do throws(SessionTokenError) {
                    try codec.withVerifiedPayload(bytes, at: now, scratch: buffer) { payload throws(SessionTokenError) in
                        seen = Array(payload)
                        // The payload is the scratch itself, not a copy the wipe would miss.
                        XCTAssertEqual(payload.baseAddress, UnsafeRawPointer(buffer.baseAddress))
                    }
                } catch {
                    failure = error
                }
            }
        }
        return (seen, scratch, failure)
    }

    func testClaimsAreZeroedAfterASuccessfulDecode() throws {
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["s3cret"], format: format)
            let token = try codec.encode(user, at: fixedNow)
            let result = decodeWatchingScratch(codec, token, at: fixedNow)
            XCTAssertNil(result.error)
            XCTAssertTrue(String(decoding: result.seen, as: UTF8.self).contains("ada@example.com"), "\(format)")
            let used = result.seen.count
            XCTAssertGreaterThan(used, 0)
            XCTAssertEqual(Array(result.scratch.prefix(used)), [UInt8](repeating: 0, count: used), "\(format): wiped")
            XCTAssertEqual(Array(result.scratch.dropFirst(used)), [UInt8](repeating: 0xA5, count: result.scratch.count - used),
                           "nothing written past the claims")
        }
    }

    func testClaimsAreZeroedWhenTheTimeCheckThrows() throws {
        let codec = try NextAuthCodec(secrets: ["s3cret"], format: .v4)
        let token = try codec.encode(user, at: fixedNow)
        let result = decodeWatchingScratch(codec, token, at: fixedNow.addingTimeInterval(40 * 86_400))
        XCTAssertEqual(result.error, .expired)
        XCTAssertTrue(result.seen.isEmpty)
        XCTAssertFalse(result.scratch.contains { $0 != 0 && $0 != 0xA5 }, "decrypted bytes left in the scratch")
        XCTAssertTrue(result.scratch.contains(0), "the claims were written there, then wiped")
    }

    func testAForgedTokenNeverReachesTheScratch() throws {
        let codec = try NextAuthCodec(secrets: ["s3cret"], format: .v4)
        var bytes = Array(try codec.encode(user, at: fixedNow).utf8)
        bytes[bytes.count - 3] ^= 1
        let result = decodeWatchingScratch(codec, String(decoding: bytes, as: UTF8.self), at: fixedNow)
        XCTAssertEqual(result.error, .invalid)
        XCTAssertEqual(result.scratch, [UInt8](repeating: 0xA5, count: bytes.count))
    }

    /// The CSRF secret is held in wiped storage, not in a plain array or string a heap dump or
    /// a reflection would show.
    func testCSRFSecretIsNotHeldAsPlainBytes() throws {
        let csrf = try NextAuthCSRF(secret: "the-csrf-secret")
        for child in Mirror(reflecting: csrf).children {
            XCTAssertFalse(child.value is [UInt8], "\(child.label ?? "?")")
            XCTAssertFalse(child.value is String, "\(child.label ?? "?")")
            XCTAssertFalse("\(child.value)".contains("the-csrf-secret"))
        }
        XCTAssertEqual("\(csrf)", "NextAuthCSRF(secret: <redacted>)")
        XCTAssertFalse(String(reflecting: csrf).contains("the-csrf-secret"))
    }
}
