import Foundation
import SessionToken
import XCTest

@testable import SessionTokenNextAuth

/// The decrypted claims of a next-auth token live in one scratch buffer that is zeroed when
/// decoding returns or throws. The scratch is the tests' here, filled with 0xA5, so they can
/// look at it after: every byte decoding wrote there (the ciphertext, IV and tag beside the
/// claims) must be zero again, and nothing beyond the room it needs written at all.
final class PlaintextWipeTests: XCTestCase {
    let user = NextAuthClaims(name: "Ada", email: "ada@example.com", picture: nil, subject: "user-42",
                              expiresAt: Date(timeIntervalSince1970: 0))

    func decodeWatchingScratch(
        _ codec: NextAuthCodec, _ token: String, at now: Date
    ) -> (seen: [UInt8], scratch: [UInt8], error: SessionTokenError?) {
        var scratch = [UInt8](repeating: 0xA5, count: NextAuthCodec.scratchByteCount(forTokenLength: token.utf8.count))
        var seen: [UInt8] = []
        var failure: SessionTokenError?
        Array(token.utf8).withUnsafeBytes { bytes in
            scratch.withUnsafeMutableBytes { buffer in
                do throws(SessionTokenError) {
                    try codec.withVerifiedPayload(bytes, at: now, scratch: buffer, picking: ["email"]) {
                        _, picked, payload throws(SessionTokenError) in
                        XCTAssertEqual(picked, ["ada@example.com"])
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
            XCTAssertFalse(result.scratch.contains { $0 != 0 && $0 != 0xA5 }, "\(format): bytes left in the scratch")
            // Written: the claims, the ciphertext beside them (padded to a block for v5), IV and tag.
            let written = result.scratch.firstIndex(of: 0xA5, after: used) ?? result.scratch.count
            XCTAssertLessThanOrEqual(written, 2 * (used + 16) + 48, "\(format): nothing written past the room it needs")
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

    func testAForgedTokenLeavesNothingInTheScratch() throws {
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            // Two secrets, so that v4 tries (and fails) twice.
            let codec = try NextAuthCodec(secrets: ["s3cret", "older"], format: format)
            var bytes = Array(try codec.encode(user, at: fixedNow).utf8)
            bytes[bytes.count - 3] ^= 1
            let result = decodeWatchingScratch(codec, String(decoding: bytes, as: UTF8.self), at: fixedNow)
            XCTAssertEqual(result.error, .invalid, "\(format)")
            XCTAssertTrue(result.seen.isEmpty)
            XCTAssertFalse(result.scratch.contains { $0 != 0 && $0 != 0xA5 }, "\(format): bytes left in the scratch")
        }
    }

    /// A token that matches no secret's header is refused before anything is written.
    func testATokenWithABadHeaderNeverReachesTheScratch() throws {
        let codec = try NextAuthCodec(secrets: ["s3cret"], format: .v5(secure: true))
        let token = try codec.encode(user, at: fixedNow)
        let forged = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwia2lkIjoibm9wZSJ9" + token.drop { $0 != "." }
        let result = decodeWatchingScratch(codec, forged, at: fixedNow)
        XCTAssertEqual(result.error, .invalid)
        XCTAssertEqual(Set(result.scratch), [0xA5])
    }

    /// A token encoded with an older secret opens with the second of two: v4 tries each in
    /// turn, so the first, failed try must not destroy the ciphertext the second needs.
    func testV4OpensWithTheSecondSecretAfterAFailedTry() throws {
        let old = try NextAuthCodec(secrets: ["older"], format: .v4)
        let token = try old.encode(user, at: fixedNow)
        let rotated = try NextAuthCodec(secrets: ["s3cret", "older"], format: .v4)
        XCTAssertEqual(try rotated.decode(token, at: fixedNow).email, "ada@example.com")
        let result = decodeWatchingScratch(rotated, token, at: fixedNow)
        XCTAssertNil(result.error)
        XCTAssertFalse(result.scratch.contains { $0 != 0 && $0 != 0xA5 })
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

extension Array where Element == UInt8 {
    /// The first index at or after `start` holding `value`.
    func firstIndex(of value: UInt8, after start: Int) -> Int? {
        self[start...].firstIndex(of: value)
    }
}
