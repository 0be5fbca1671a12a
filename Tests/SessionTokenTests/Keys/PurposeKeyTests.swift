import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// Purpose keys (``TokenPurpose``) against keys derived by an independent HKDF (`cryptography`;
/// see `Tests/Vectors/generate_xc20p.py`), and the binding of tokens to their purpose.
final class PurposeKeyTests: XCTestCase {
    struct File: Decodable {
        struct Vector: Decodable {
            var key: String
            var purpose: String
            var derived: String
        }
        var implementation: String
        var vectors: [Vector]
    }

    static func load() throws -> File {
        try VectorFiles.load("purpose-keys.json", as: File.self)
    }

    /// Unpadded base64url to bytes (Foundation's decoder, so independent of the library's).
    static func bytes(base64URL text: String) throws -> [UInt8] {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return try XCTUnwrap(Data(base64Encoded: standard).map(Array.init), "not base64url: \(text)")
    }

    /// The purpose a vector names: the library's by name, an application's as `app/<name>`.
    static func purpose(named name: String) throws -> TokenPurpose {
        switch name {
        case "session": return .session
        case "vapor-session-data": return .vaporSessionData
        default:
            guard name.hasPrefix("app/") else {
                XCTFail("unknown purpose \(name)")
                throw SessionTokenError.invalid
            }
            return try TokenPurpose.application(String(name.dropFirst(4)))
        }
    }

    // MARK: - Known answers

    func testDerivedKeysMatchVectors() throws {
        let file = try Self.load()
        XCTAssertGreaterThanOrEqual(file.vectors.count, 20)
        for vector in file.vectors {
            let purpose = try Self.purpose(named: vector.purpose)
            XCTAssertEqual(purpose.name, vector.purpose)
            let key = try SessionKey(id: "k1", bytes: Self.bytes(base64URL: vector.key))
            XCTAssertEqual(key.exportBase64URL(), vector.key)
            let derived = try key.derived(for: purpose)
            XCTAssertEqual(derived.exportBase64URL(), vector.derived, "\(vector.key) for \(vector.purpose)")
            XCTAssertEqual(derived.id, key.id)
            XCTAssertEqual(derived.encryption, key.encryption)
        }
    }

    func testVectorsCoverEveryKindOfPurpose() throws {
        let purposes = Set(try Self.load().vectors.map(\.purpose))
        XCTAssertTrue(purposes.isSuperset(of: ["session", "vapor-session-data", "app/password-reset"]))
    }

    func testNamedPurposes() throws {
        XCTAssertEqual(TokenPurpose.session.name, "session")
        XCTAssertEqual(TokenPurpose.vaporSessionData.name, "vapor-session-data")
        XCTAssertEqual(try TokenPurpose.application("password-reset").name, "app/password-reset")
        XCTAssertEqual(try TokenPurpose.application("password-reset"), try TokenPurpose.application("password-reset"))
        XCTAssertEqual(try TokenPurpose.application(String(repeating: "x", count: 64)).name.utf8.count, 68)
        XCTAssertEqual(try TokenPurpose.application("A.b_c-9").name, "app/A.b_c-9")
    }

    // MARK: - Failures

    func testDistinctPurposesGiveDistinctKeys() throws {
        let purposes: [TokenPurpose] = [
            .session, .vaporSessionData, try .application("password-reset"), try .application("session"),
            try .application("vapor-session-data"), try .application("a"), try .application("A"),
        ]
        for key in [Fixture.key1, Fixture.key2] {
            let derived = try purposes.map { try key.derived(for: $0).exportBase64URL() }
            XCTAssertEqual(Set(derived).count, purposes.count, "two purposes share a key")
            XCTAssertFalse(derived.contains(key.exportBase64URL()), "a purpose key equals the ring key")
            // The same key and purpose always give the same key.
            XCTAssertEqual(try purposes.map { try key.derived(for: $0).exportBase64URL() }, derived)
        }
        // Different ring keys give different keys for one purpose.
        XCTAssertNotEqual(
            try Fixture.key1.derived(for: .session).exportBase64URL(),
            try Fixture.key2.derived(for: .session).exportBase64URL())
    }

    func testBadApplicationNamesThrowConfiguration() {
        let bad = [
            "", String(repeating: "x", count: 65), "app/x", "a/b", "a b", " a", "a\n", "caf\u{e9}", "a:b",
            "a\u{0}", "password+reset", "\u{1F510}", "a%2F", "a,b",
        ]
        for name in bad {
            do {
                let purpose = try TokenPurpose.application(name)
                XCTFail("\(name.debugDescription) was accepted as \(purpose)")
            } catch {
                guard case .configuration = error else {
                    XCTFail("\(name.debugDescription): expected configuration, got \(error)")
                    continue
                }
            }
        }
    }

    func testTokensOpenOnlyAsTheirPurpose() throws {
        let app = try SessionSealer(keys: Fixture.ring, purpose: .application("a"))
        let session = try SessionSealer(keys: Fixture.ring, purpose: .session)
        let vapor = try SessionSealer(keys: Fixture.ring, purpose: .vaporSessionData)
        let sealers = [("app/a", app), ("session", session), ("vapor-session-data", vapor)]
        for (sealingName, sealing) in sealers {
            let token = try sealing.seal(subject: "user-42", at: Fixture.now).token
            XCTAssertEqual(try sealing.open(token, at: Fixture.now).subject, "user-42", sealingName)
            for (openingName, opening) in sealers where openingName != sealingName {
                XCTAssertTokenError(
                    .invalid, try opening.open(token, at: Fixture.now), "\(sealingName) opened as \(openingName)")
            }
        }
    }

    func testPurposeSurvivesWithPurposeAndKeys() throws {
        let app = try SessionSealer(keys: Fixture.ring, purpose: .application("a"))
        let token = try app.seal(subject: "user-42", at: Fixture.now).token
        XCTAssertTokenError(.invalid, try app.with(purpose: .session).open(token, at: Fixture.now))
        XCTAssertEqual(try app.with(purpose: .application("a")).open(token, at: Fixture.now).subject, "user-42")
        XCTAssertTokenError(.invalid, try app.with(purpose: .application("b")).open(token, at: Fixture.now))
    }

    func testTokenSealedWithTheRingKeyItselfDoesNotOpen() throws {
        let header = #"{"alg":"dir","enc":"XC20P","kid":"k1"}"#
        let claims = #"{"sub":"user-42","iat":1799999940,"exp":1800003600,"auth_time":1799996400}"#
        let raw = Fixture.forge(header: header, claims: claims, purpose: nil)
        let derived = Fixture.forge(header: header, claims: claims, purpose: .session)
        XCTAssertEqual(try Fixture.sealer.open(derived, at: Fixture.now).subject, "user-42")
        XCTAssertTokenError(.invalid, try Fixture.sealer.open(raw, at: Fixture.now))
        let vaporToken = Fixture.forge(header: header, claims: claims, purpose: .vaporSessionData)
        XCTAssertTokenError(.invalid, try Fixture.sealer.open(vaporToken, at: Fixture.now))
    }
}
