import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// Key states, the rotation operations, retirement safety and the extended text form.
final class RotationTests: XCTestCase {
    let now = Fixture.now
    let day: TimeInterval = 86_400

    func key(_ id: String, _ fill: UInt8) throws -> SessionKey {
        try SessionKey(id: id, bytes: [UInt8](repeating: fill, count: 32))
    }

    func testLifecycle() throws {
        let a = try key("a", 1), b = try key("b", 2)
        let ring = try KeyRing(primary: a)
        let added = try ring.adding(b)
        XCTAssertEqual(added.state(of: "a"), .primary)
        XCTAssertEqual(added.state(of: "b"), .accepted)
        XCTAssertNil(added.stoppedSealing("b"))

        let promoted = try added.promoting("b", at: now)
        XCTAssertEqual(promoted.primary.id, "b")
        XCTAssertEqual(promoted.state(of: "a"), .accepted)
        XCTAssertEqual(promoted.stoppedSealing("a"), now)
        XCTAssertNil(promoted.stoppedSealing("b"))

        let retired = try promoted.retiring("a", at: now.addingTimeInterval(30 * day), maxTokenAge: 30 * day)
        XCTAssertEqual(retired.state(of: "a"), .retired)
        XCTAssertNil(retired.key(id: "a"))
        XCTAssertEqual(retired.retiredKeyIDs, ["a"])

        let removed = try retired.removing("a")
        XCTAssertNil(removed.state(of: "a"))
        XCTAssertEqual(removed.keys.map(\.id), ["b"])
        // Each operation returned a new ring; the old ones are unchanged.
        XCTAssertEqual(ring.keys.map(\.id), ["a"])
        XCTAssertEqual(added.primary.id, "a")
    }

    func testOperationsRefuseWhatBreaksTheRing() throws {
        let a = try key("a", 1), b = try key("b", 2)
        let ring = try KeyRing(primary: a, accepted: [b])
        XCTAssertThrowsError(try ring.adding(key("a", 9)), "duplicate ID")
        XCTAssertThrowsError(try ring.adding(key("c", 2)), "duplicate bytes")
        XCTAssertThrowsError(try ring.promoting("zzz"))
        XCTAssertEqual(try ring.promoting("a").primary.id, "a", "promoting the primary changes nothing")
        XCTAssertThrowsError(try ring.retiring("a", maxTokenAge: 0, force: true), "the primary cannot be retired")
        XCTAssertThrowsError(try ring.retiring("zzz", maxTokenAge: 0, force: true))
        XCTAssertThrowsError(try ring.removing("b"), "only retired IDs can be removed")
        let retired = try ring.retiring("b", maxTokenAge: 0, force: true)
        XCTAssertThrowsError(try retired.adding(key("b", 3)), "a retired ID cannot come back as a new key")
    }

    func testRetirementWaitsForTheLongestTokenLife() throws {
        let a = try key("a", 1), b = try key("b", 2)
        let rotated = try KeyRing(primary: a).adding(b).promoting("b", at: now)
        let maxAge = 30 * day + 60
        XCTAssertThrowsError(try rotated.retiring("a", at: now.addingTimeInterval(maxAge - 1), maxTokenAge: maxAge)) { error in
            XCTAssertTrue("\(error)".contains("may still be live"), "\(error)")
        }
        XCTAssertNoThrow(try rotated.retiring("a", at: now.addingTimeInterval(maxAge), maxTokenAge: maxAge))
        XCTAssertNoThrow(try rotated.retiring("a", at: now, maxTokenAge: maxAge, force: true))
        // A key whose end of sealing is unknown needs force.
        let unknown = try KeyRing(primary: b, accepted: [a])
        XCTAssertThrowsError(try unknown.retiring("a", at: now.addingTimeInterval(1000 * day), maxTokenAge: maxAge))
        XCTAssertNoThrow(try unknown.retiring("a", at: now, maxTokenAge: maxAge, force: true))
    }

    func testRetiredKeysTokensAreInvalid() throws {
        let a = try key("a", 1), b = try key("b", 2)
        let before = try SessionSealer(keys: KeyRing(primary: a, accepted: [b]))
        let token = try before.seal(subject: "u", at: now).token
        let rotated = try before.keys.promoting("b", at: now)
        XCTAssertEqual(try before.with(keys: rotated).open(token, at: now).keyID, "a")
        let retired = try rotated.retiring("a", at: now, maxTokenAge: 0)
        XCTAssertTokenError(.invalid, try before.with(keys: retired).open(token, at: now))
    }

    func testSpecTextFormIsBackwardCompatibleAndRoundTrips() throws {
        let a = try key("a", 1), b = try key("b", 2), c = try key("c", 3)
        let plain = "a:\(a.exportBase64URL()),b:\(b.exportBase64URL())"
        let ring = try KeyRing(spec: plain)
        XCTAssertEqual(ring.state(of: "a"), .primary)
        XCTAssertEqual(ring.state(of: "b"), .accepted)
        XCTAssertEqual(ring.exportSpec(), plain, "a plain spec exports unchanged")

        let full = try KeyRing(primary: a, accepted: [b, c]).promoting("c", at: Date(timeIntervalSince1970: 1_800_000_000))
            .retiring("b", maxTokenAge: 0, force: true)
        let spec = full.exportSpec()
        XCTAssertEqual(spec, "c:\(c.exportBase64URL()),a:\(a.exportBase64URL())@1800000000,b:retired")
        let parsed = try KeyRing(spec: spec)
        XCTAssertEqual(parsed.keys, full.keys)
        XCTAssertEqual(parsed.retiredKeyIDs, ["b"])
        XCTAssertEqual(parsed.stoppedSealing("a"), Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertEqual(parsed.exportSpec(), spec)
    }

    func testSpecErrorsForTheNewForms() throws {
        let a = "a:" + (try key("a", 1)).exportBase64URL()
        let b = "b:" + (try key("b", 2)).exportBase64URL()
        for (spec, expected) in [
            ("a:retired,\(b)", "cannot be retired"),
            ("\(a)@5,\(b)", "cannot have stopped sealing"),
            ("\(a),\(b)@soon", "whole unix seconds"),
            ("\(a),\(b)@-5", "whole unix seconds"),
            ("\(a),\(b)@", "whole unix seconds"),
            ("\(a),b:retired,b:retired", "entries 2 and 3 have the same key ID"),
            ("\(a),a:retired", "entries 1 and 2 have the same key ID"),
        ] {
            XCTAssertThrowsError(try KeyRing(spec: spec), spec) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
            }
        }
    }
}
