import Foundation
import SessionToken
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// next-auth's tokens in the session model: re-issue keeps every claim the front end wrote, a
/// token may not claim a longer life than the codec's `maxAge` (what revocations are kept for),
/// and the revocation service for next-auth keeps its revocations that long.
final class NextAuthSessionIdentityTests: XCTestCase {
    let day: TimeInterval = 86_400

    /// The security review found re-issue dropping the front end's own claims (`role`,
    /// `accessToken`): only `iat`, `exp` and `jti` may change.
    func testReissueKeepsEveryClaimTheFrontEndWrote() throws {
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["front-end-secret"], format: format)
            let claims: [String: AnyCodableJSON] = [
                "sub": .string("user-1"), "name": .string("Ada"), "role": .string("admin"),
                "accessToken": .string("ya29.opaque"), "org": .object(["id": .number(7), "tags": .array([.string("a")])]),
                "sid": .string("front-end-session"), "auth_time": .number(1_799_000_000),
            ]
            let token = try codec.encode(claims, at: fixedNow)
            let later = fixedNow.addingTimeInterval(2 * day)
            let reissued = try codec.reissue(token, at: later)
            XCTAssertNotEqual(reissued, token)
            var before = try codec.decode(token, as: [String: AnyCodableJSON].self, at: fixedNow)
            var after = try codec.decode(reissued, as: [String: AnyCodableJSON].self, at: later)
            XCTAssertEqual(after["iat"], .number(later.timeIntervalSince1970))
            XCTAssertEqual(after["exp"], .number(later.timeIntervalSince1970 + codec.maxAge))
            XCTAssertNotEqual(after["jti"], before["jti"])
            for name in ["iat", "exp", "jti"] {
                before[name] = nil
                after[name] = nil
            }
            XCTAssertEqual(after, before, "\(format)")
            XCTAssertEqual(after, claims)
        }
    }

    /// A front end configured for a longer `maxAge` than this service writes tokens that would
    /// outlive their revocations here: refused.
    func testATokenLivingLongerThanMaxAgeIsRefused() throws {
        let long = try NextAuthCodec(secrets: ["shared"], format: .v4, maxAge: 90 * day)
        let here = try NextAuthCodec(secrets: ["shared"], format: .v4, maxAge: 30 * day)
        let token = try long.encode(["sub": "u"], at: fixedNow)
        XCTAssertNoThrow(try long.decode(token, at: fixedNow))
        XCTAssertTokenError(.invalid, try here.decode(token, at: fixedNow))
        // Up to maxAge plus the clock tolerance is accepted.
        let edge = try NextAuthCodec(secrets: ["shared"], format: .v4, maxAge: 30 * day + 15)
        XCTAssertNoThrow(try here.decode(try edge.encode(["sub": "u"], at: fixedNow), at: fixedNow))
        let over = try NextAuthCodec(secrets: ["shared"], format: .v4, maxAge: 30 * day + 16)
        XCTAssertTokenError(.invalid, try here.decode(try over.encode(["sub": "u"], at: fixedNow), at: fixedNow))
        XCTAssertTokenError(.invalid, try here.reissue(token, at: fixedNow))
    }

    /// Revocations for next-auth's tokens are kept for the codec's lifetime, not the native
    /// sealer's: a revoked 90-day session stays revoked on day 31.
    func testRevocationsAreKeptForTheCodecsLifetime() async throws {
        let codec = try NextAuthCodec(secrets: ["shared"], format: .v4, maxAge: 90 * day)
        let clock = fixedNow
        let service = RevocationService(store: InMemoryRevocationStore(), codec: codec, clock: { clock })
        XCTAssertEqual(service.retention, 90 * day + 15 + 300)
        try await service.revokeUser("alice")
        let written = try await service.store.revocations(at: fixedNow.addingTimeInterval(31 * day))
        XCTAssertEqual(written.revocations.map(\.target), [.user("alice")])
        XCTAssertTrue(
            RevocationSet(written.revocations, at: fixedNow.addingTimeInterval(89 * day))
                .revokes(subject: "alice", sessionStart: fixedNow.addingTimeInterval(-1), sessionID: nil))
        let native = RevocationService(store: InMemoryRevocationStore(), sealer: try SessionSealer(keys: KeyRing(primary: SessionKey.generate())))
        XCTAssertEqual(native.retention, SessionSealer.defaultLifetime + 300)
    }
}
