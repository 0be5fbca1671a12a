import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// Key IDs compare as bytes. Swift's `String` equality follows Unicode canonical equivalence, so
/// `"\u{212A}2"` (KELVIN SIGN) equals `"K2"`; a header `kid` that is only equivalent to a ring's
/// key ID must select nothing.
final class ByteExactNameTests: XCTestCase {
    let key = try! SessionKey(id: "K2", bytes: (0..<32).map { UInt8(0x40 ^ $0) })

    func testKelvinSignKidSelectsNoKeyOnTheNonCanonicalHeaderPath() throws {
        let sealer = try SessionSealer(keys: KeyRing(primary: key))
        XCTAssertEqual("\u{212A}2", "K2", "the premise: String equality equates them")
        // A correct AEAD under K2 over each header: only the byte-exact kid opens.
        let exact = Fixture.forge(header: #"{"alg":"dir", "enc":"XC20P", "kid":"K2"}"#,
                                  claims: Fixture.standardClaims, key: key)
        XCTAssertEqual(try sealer.open(exact, at: Fixture.now).subject, "user-42")
        for kid in ["\u{212A}2", "\\u212a2", "K\u{0332}2"] {
            let forged = Fixture.forge(header: #"{"alg":"dir", "enc":"XC20P", "kid":"\#(kid)"}"#,
                                       claims: Fixture.standardClaims, key: key)
            XCTAssertTokenError(.invalid, try sealer.open(forged, at: Fixture.now), kid)
        }
    }

    func testRingLookupsAreByteExact() throws {
        let ring = try KeyRing(primary: key)
        XCTAssertNotNil(ring.key(id: "K2"))
        XCTAssertNil(ring.key(id: "\u{212A}2"))
        XCTAssertNil(ring.key(id: "k2"))
        XCTAssertTrue(ExactName("K2") == ExactName("K2"))
        XCTAssertFalse(ExactName("\u{212A}2") == ExactName("K2"))
        XCTAssertFalse(ExactName.same("\u{00C5}", "\u{0041}\u{030A}"), "precomposed and decomposed Å differ as bytes")
        XCTAssertTrue(ExactName.hasPrefix("__Host-x", "__Host-"))
        XCTAssertFalse(ExactName.hasPrefix("\u{212A}x", "K"))
    }
}
