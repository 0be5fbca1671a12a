import Foundation
import XCTest

@testable import SessionToken

final class KeyTests: XCTestCase {
    func testGeneratedKeysDifferAndHideTheirBytes() throws {
        let a = try SessionKey.generate(id: "a")
        let b = try SessionKey.generate(id: "a")
        XCTAssertNotEqual(a, b)
        XCTAssertFalse(a.hasSameBytes(as: b))
        let text = a.exportBase64URL()
        XCTAssertEqual(text.count, 43)
        for rendering in ["\(a)", String(reflecting: a), String(describing: a), { var s = ""; dump(a, to: &s); return s }()] {
            XCTAssertFalse(rendering.contains(text), rendering)
            XCTAssertTrue(rendering.contains("a"), rendering)
        }
    }

    func testDerivedIDRevealsNothingAndIsStable() throws {
        let key = try SessionKey.generate()
        XCTAssertEqual(key.id, key.derivedID)
        XCTAssertEqual(key.id.count, 12)
        XCTAssertTrue(KeyID.isValid(key.id))
        let copy = try SessionKey(id: "other", base64URL: key.exportBase64URL())
        XCTAssertEqual(copy.derivedID, key.id, "the ID depends on the key bytes only")
        XCTAssertFalse(key.exportBase64URL().hasPrefix(key.id))
    }

    func testBase64URLKeyText() throws {
        let key = try SessionKey(id: "k", base64URL: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        XCTAssertEqual(key, Fixture.key1.withIDForTest("k"))
        XCTAssertEqual(key.exportBase64URL(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        let bad = [
            "", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9",
            " AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8AAAA",
        ]
        for text in bad {
            XCTAssertThrowsError(try SessionKey(id: "k", base64URL: text), text) { error in
                XCTAssertFalse("\(error)".contains("AAECAw"), "the error must not echo key text")
            }
        }
    }

    func testKeyIDRules() {
        let bytes = [UInt8](repeating: 1, count: 32)
        for good in ["a", "K-1", "2026-11.a_b", String(repeating: "x", count: 64)] {
            XCTAssertNoThrow(try SessionKey(id: good, bytes: bytes), good)
        }
        for bad in ["", " ", "a b", "k:1", "k,1", "é", "k\"", String(repeating: "x", count: 65), "k\n"] {
            XCTAssertThrowsError(try SessionKey(id: bad, bytes: bytes), bad)
        }
        XCTAssertThrowsError(try SessionKey(id: "k", bytes: [UInt8](repeating: 1, count: 31)))
        XCTAssertThrowsError(try SessionKey(id: "k", bytes: [UInt8](repeating: 1, count: 33)))
    }

    func testRingRules() throws {
        let a = try SessionKey(id: "a", bytes: [UInt8](repeating: 1, count: 32))
        let b = try SessionKey(id: "b", bytes: [UInt8](repeating: 2, count: 32))
        let ring = try KeyRing(primary: a, accepted: [b])
        XCTAssertEqual(ring.primary.id, "a")
        XCTAssertEqual(ring.keys.map(\.id), ["a", "b"])
        XCTAssertEqual(ring.key(id: "b"), b)
        XCTAssertNil(ring.key(id: "c"))
        XCTAssertThrowsError(try KeyRing(primary: a, accepted: [a.withIDForTest("a2")]), "same bytes twice")
        XCTAssertThrowsError(try KeyRing(primary: a, accepted: [b.withIDForTest("a")]), "same ID twice")
        let many = try (0..<64).map { try SessionKey(id: "k\($0)", bytes: [UInt8](repeating: UInt8($0), count: 32)) }
        XCTAssertNoThrow(try KeyRing(primary: many[0], accepted: Array(many.dropFirst())))
        let extra = try SessionKey(id: "k64", bytes: [UInt8](repeating: 200, count: 32))
        XCTAssertThrowsError(try KeyRing(primary: extra, accepted: many))
    }

    func testSpecRoundTrip() throws {
        let spec = Fixture.ring.exportSpec()
        XCTAssertTrue(spec.hasPrefix("k1:"))
        let parsed = try KeyRing(spec: spec)
        XCTAssertEqual(parsed.keys, Fixture.ring.keys)
        XCTAssertEqual(parsed.exportSpec(), spec)
        XCTAssertEqual(try KeyRing(spec: " \(spec)\n").keys, Fixture.ring.keys)
        XCTAssertEqual(try KeyRing(spec: spec.replacingOccurrences(of: ",", with: " ,\n ")).keys, Fixture.ring.keys)
    }

    func testSpecErrorsNameTheEntryAndNeverTheKey() throws {
        let k1 = "k1:" + Fixture.key1.exportBase64URL()
        let k2 = "k2:" + Fixture.key2.exportBase64URL()
        let cases: [(String, String)] = [
            ("", "entry 1 is empty"),
            ("\(k1),", "entry 2 is empty"),
            ("\(k1),,\(k2)", "entry 2 is empty"),
            ("\(k1),k2", "entry 2 is not of the form KID:KEY"),
            ("\(k1),k2:x:y", "entry 2 is not of the form KID:KEY"),
            ("\(k1),bad id:\(Fixture.key2.exportBase64URL())", "entry 2: key ID"),
            ("\(k1),\(Fixture.key2.exportBase64URL().prefix(20)):\(Fixture.key2.exportBase64URL().dropFirst(20))",
             "entry 2: key must be 32 bytes"),
            ("\(k1),\(k2)=", "entry 2: key must be 32 bytes"),
            ("\(k1),\(k2.dropLast())", "entry 2: key must be 32 bytes"),
            ("\(k1),k1:\(Fixture.key2.exportBase64URL())", "entries 1 and 2 have the same key ID"),
            ("\(k1),k3:\(Fixture.key1.exportBase64URL())", "entries 1 and 2 hold the same key"),
            // A key pasted into the ID slot twice: the error names positions, never the text.
            ("\(Fixture.key2.exportBase64URL()):\(Fixture.key1.exportBase64URL()),"
             + "\(Fixture.key2.exportBase64URL()):\(Fixture.key2.exportBase64URL())", "entries 1 and 2 have the same key ID"),
            (Array(repeating: k1, count: 65).joined(separator: ","), "at most 64"),
        ]
        for (spec, expected) in cases {
            XCTAssertThrowsError(try KeyRing(spec: spec), spec) { error in
                guard case .configuration(let message)? = error as? SessionTokenError else {
                    return XCTFail("\(error)")
                }
                XCTAssertTrue(message.contains(expected), "\(message) should contain \(expected)")
                XCTAssertFalse(message.contains(Fixture.key1.exportBase64URL().prefix(10)), message)
                XCTAssertFalse(message.contains(Fixture.key2.exportBase64URL().prefix(10)), message)
            }
        }
    }
}

extension SessionKey {
    func withIDForTest(_ id: String) -> SessionKey { try! withID(id) }
}
