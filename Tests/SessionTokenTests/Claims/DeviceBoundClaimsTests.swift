import Foundation
import SessionTokenInternals
import XCTest

@testable import SessionToken

/// The core's part of device-bound sessions: a device-bound session's cookie (`"dbsc":1`)
/// reads the same through the fast and the strict claims readers, is never due for re-issue by
/// opening, and `dbsc` cannot be set through custom claims.
final class DeviceBoundClaimsTests: XCTestCase {
    let limits = JSONLimits(maxDepth: 16, maxMembers: 256)

    func read(_ text: String) -> (fast: SessionClaims?, strict: SessionClaims?) {
        let json = Array(text.utf8)
        return (
            json.withUnsafeBytes { ClaimsReader.readFast($0, limits: limits) },
            json.withUnsafeBytes { try? ClaimsReader.readStrict($0, limits: limits) }
        )
    }

    func testBothReadersSeeTheConfirmation() {
        let base = #"{"sub":"u","iat":1795910400,"exp":1795911000,"sid":"AAAAAAAAAAAAAAAAAAAAAA","auth_time":1795000000.25"#
        for tail in [#"}"#, #","iss":"i"}"#, #","iss":"i","aud":"a"}"#] {
            let plain = read(base + tail)
            XCTAssertEqual(plain.fast, plain.strict)
            XCTAssertEqual(plain.fast?.isDeviceBound, false)
            let bound = read(base + tail.dropLast() + #","dbsc":1}"#)
            XCTAssertEqual(bound.fast?.isDeviceBound, true, tail)
            XCTAssertEqual(bound.fast, bound.strict, tail)
            XCTAssertNotEqual(bound.fast, plain.fast, "the confirmation is part of the claims' equality")
        }
        // With custom claims after it the strict reader decides, and agrees.
        let custom = read(base + #","dbsc":1,"name":"Alice"}"#)
        XCTAssertNil(custom.fast)
        XCTAssertEqual(custom.strict?.isDeviceBound, true)
        // A `dbsc` other than 1 is malformed, not ignored.
        for bad in [#""dbsc":"1""#, #""dbsc":0"#, #""dbsc":2"#, #""dbsc":true"#, #""dbsc":{}"#, #""dbsc":1,"dbsc":1"#] {
            let claims = read(base + "," + bad + "}")
            XCTAssertNil(claims.strict, bad)
            XCTAssertNil(claims.fast, bad)
        }
        // The fast reader takes only its exact form; anything else goes to the strict one.
        for other in [#""dbsc":1.0"#, #""dbsc": 1"#, #""dbsc":1e0"#] {
            XCTAssertNil(read(base + "," + other + "}").fast, other)
        }
    }

    func testDbscIsARegisteredNameCustomClaimsCannotUse() throws {
        let sealer = try SessionSealer(keys: TestKeys.ring)
        struct Forged: Encodable { let dbsc = 1 }
        XCTAssertThrowsError(try sealer.seal(subject: "u", custom: Forged())) {
            guard case .unsealable? = $0 as? SessionTokenError else { return XCTFail("\($0)") }
        }
    }

    /// A bound token sealed under a key that is no longer primary, and old: opening never says
    /// it is due, and `refresh` makes no replacement (which would be a bearer token).
    func testABoundTokenIsNeverReissuedByOpening() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let old = try SessionSealer(keys: KeyRing(primary: TestKeys.key2, accepted: [TestKeys.key1]), updateAge: 60)
        let current = try SessionSealer(keys: KeyRing(primary: TestKeys.key1, accepted: [TestKeys.key2]), updateAge: 60)
        let members = Array(#""dbsc":1"#.utf8)
        let bound = try old.seal(
            subject: "u", customMembers: members[...], at: now, continuing: .init(sessionID: "sid-1", authTime: 1_799_000_000))
        let plain = try old.seal(
            subject: "u", customMembers: nil, at: now, continuing: .init(sessionID: "sid-1", authTime: 1_799_000_000))
        let later = now.addingTimeInterval(120)
        let boundSession = try current.open(bound.token, at: later)
        XCTAssertTrue(boundSession.claims.isDeviceBound)
        XCTAssertFalse(boundSession.needsReissue)
        XCTAssertNil(try current.refresh(bound.token, at: later).replacement)
        XCTAssertTrue(try current.open(plain.token, at: later).needsReissue, "the same token without dbsc is due")
        XCTAssertNotNil(try current.refresh(plain.token, at: later).replacement)
    }
}

private enum TestKeys {
    static let key1 = try! SessionKey(id: "k1", bytes: (0..<32).map { UInt8($0) })
    static let key2 = try! SessionKey(id: "k2", bytes: (0..<32).map { UInt8(0xC0 ^ $0) })
    static let ring = try! KeyRing(primary: key1, accepted: [key2])
}
