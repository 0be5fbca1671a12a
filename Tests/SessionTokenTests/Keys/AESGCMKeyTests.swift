import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// Keys bound to `A256GCM`: sealing and opening, mixed rings, the binding of a key to one `enc`,
/// the nonce length, the key ring text form, and Wycheproof through the AES-256-GCM layer (the CLI's
/// `--enc` is in SessionTokenCLITests).
/// Skipped only where libsodium reports no AES-256-GCM support (no AES-NI).
final class AESGCMKeyTests: XCTestCase {
    let now = Fixture.now

    override func setUpWithError() throws {
        if name.contains("WithoutAESNI") { return }
        try XCTSkipUnless(TokenEncryption.aes256GCM.isAvailable, "AES-256-GCM is not available on this CPU (no AES-NI)")
    }

    /// Runs only on a CPU without AES-256-GCM support: every way of making an A256GCM key is a
    /// configuration error that says why, and XC20P keys are unaffected.
    func testWithoutAESNIA256GCMKeysAreAConfigurationError() throws {
        try XCTSkipIf(TokenEncryption.aes256GCM.isAvailable, "this CPU has AES-256-GCM support")
        let text = Fixture.key1.exportBase64URL()
        let message = SessionKey.gcmUnavailableMessage
        XCTAssertTokenError(.configuration(message), try SessionKey.generate(encryption: .aes256GCM))
        XCTAssertTokenError(.configuration(message), try SessionKey(id: "g", base64URL: text, encryption: .aes256GCM))
        XCTAssertTokenError(.configuration(message), try SessionKey(id: "g", bytes: [UInt8](repeating: 1, count: 32),
                                                                    encryption: .aes256GCM))
        XCTAssertTokenError(.configuration(message), try SessionKey.derive(
            fromSecret: String(repeating: "s", count: 32), purpose: "p", encryption: .aes256GCM))
        XCTAssertTokenError(.configuration("key ring spec entry 2: \(message)"),
                            try KeyRing(spec: "k1:\(text),g1:A256GCM:\(Fixture.key2.exportBase64URL())"))
        XCTAssertNoThrow(try KeyRing(spec: "k1:XC20P:\(text)"))
    }

    static func gcmKey(_ id: String = "g1", seed: UInt8 = 0x5A) throws -> SessionKey {
        try SessionKey(id: id, bytes: (0..<32).map { UInt8(seed ^ $0) }, encryption: .aes256GCM)
    }

    static let gcmHeader = #"{"alg":"dir","enc":"A256GCM","kid":"g1"}"#

    /// A token sealed with AES-256-GCM under `key`'s bytes (whatever `key`'s own encryption),
    /// with any header; the nonce is cut or zero-padded to `nonceLength` bytes after sealing.
    static func forgeGCM(
        header: String, claims: String, key: SessionKey, purpose: TokenPurpose? = .session, nonceLength: Int = 12
    ) -> String {
        let key = purpose.map { try! key.derived(for: $0) } ?? key
        let headerSegment = Fixture.base64URL(header)
        let plaintext = Array(claims.utf8)
        var nonce = [UInt8](repeating: 0, count: 12)
        nonce.withUnsafeMutableBytes { Sodium.randomBytes($0) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let state = key.secret.withUnsafeBytes { AES256GCM.precompute(key: $0) }!
        plaintext.withUnsafeBytes { p in
            Array(headerSegment.utf8).withUnsafeBytes { aad in
                nonce.withUnsafeBytes { n in
                    state.withUnsafeBytes { s in
                        ciphertext.withUnsafeMutableBytes { c in
                            tag.withUnsafeMutableBytes { t in
                                AES256GCM.seal(plaintext: p, additionalData: aad, nonce: n, state: s, ciphertext: c, tag: t)
                            }
                        }
                    }
                }
            }
        }
        let nonceOut = Array(nonce.prefix(nonceLength)) + [UInt8](repeating: 0, count: max(0, nonceLength - 12))
        return [headerSegment, "", Fixture.base64URL(nonceOut), Fixture.base64URL(ciphertext), Fixture.base64URL(tag)]
            .joined(separator: ".")
    }

    // MARK: - Keys

    func testKeysCarryTheirEncryption() throws {
        let generated = try SessionKey.generate(id: "g", encryption: .aes256GCM)
        XCTAssertEqual(generated.encryption, .aes256GCM)
        XCTAssertEqual(try SessionKey.generate().encryption, .xchacha20Poly1305, "the default is unchanged")
        XCTAssertEqual(Fixture.key1.encryption, .xchacha20Poly1305)
        let text = generated.exportBase64URL()
        let parsed = try SessionKey(id: "g", base64URL: text, encryption: .aes256GCM)
        XCTAssertEqual(parsed, generated)
        XCTAssertNotEqual(try SessionKey(id: "g", base64URL: text), generated, "same bytes, other encryption")
        XCTAssertTrue(try SessionKey(id: "g", base64URL: text).hasSameBytes(as: generated))
        XCTAssertEqual(try generated.withID("h").encryption, .aes256GCM)
        let derived = try SessionKey.derive(fromSecret: String(repeating: "s", count: 32), purpose: "sessions",
                                            encryption: .aes256GCM)
        XCTAssertEqual(derived.encryption, .aes256GCM)
        XCTAssertTrue(derived.hasSameBytes(as: try SessionKey.derive(fromSecret: String(repeating: "s", count: 32),
                                                                     purpose: "sessions")))
        XCTAssertEqual("\(generated)", #"SessionKey(id: "g", A256GCM)"#)
        XCTAssertFalse("\(generated)".contains(text))
        XCTAssertEqual(TokenEncryption(name: "A256GCM"), .aes256GCM)
        XCTAssertEqual(TokenEncryption(name: "XC20P"), .xchacha20Poly1305)
        XCTAssertNil(TokenEncryption(name: "a256gcm"))
    }

    func testARingRefusesTheSameBytesUnderBothEncryptions() throws {
        let gcm = try Self.gcmKey()
        let xc = try SessionKey(id: "x1", bytes: (0..<32).map { UInt8(0x5A ^ $0) })
        XCTAssertThrowsError(try KeyRing(primary: gcm, accepted: [xc]))
    }

    // MARK: - Tokens

    func testRoundTripUnderAnA256GCMKey() throws {
        let sealer = try SessionSealer(keys: KeyRing(primary: Self.gcmKey()))
        let token = try sealer.seal(subject: "user-42", at: now).token
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, 5)
        XCTAssertEqual(String(parts[0]), Fixture.base64URL(Self.gcmHeader), "the canonical A256GCM header")
        XCTAssertEqual(parts[1], "")
        XCTAssertEqual(parts[2].count, 16, "a 12-byte nonce")
        XCTAssertEqual(parts[4].count, 22, "a 16-byte tag")
        let session = try sealer.open(token, at: now)
        XCTAssertEqual(session.claims.subject, "user-42")
        XCTAssertEqual(session.keyID, "g1")
        XCTAssertTrue(session.isPrimaryKey)
        XCTAssertEqual(try UnverifiedHeader(token: token).encryption, "A256GCM")
        XCTAssertNotEqual(try sealer.seal(subject: "user-42", at: now).token, token, "a fresh nonce each time")

        struct Custom: Codable, Equatable { var role: String }
        let custom = try sealer.seal(subject: "u", custom: Custom(role: "admin"), at: now).token
        XCTAssertEqual(try sealer.open(custom, decoding: Custom.self, at: now).custom, Custom(role: "admin"))

        // A header in another member order is parsed in full and still opens.
        let reordered = Self.forgeGCM(header: #"{"kid":"g1","enc":"A256GCM","alg":"dir"}"#,
                                      claims: Fixture.standardClaims, key: try Self.gcmKey())
        XCTAssertEqual(try sealer.open(reordered, at: now).keyID, "g1")
        // And the forger makes tokens the opener accepts (the control for the tests below).
        let forged = Self.forgeGCM(header: Self.gcmHeader, claims: Fixture.standardClaims, key: try Self.gcmKey())
        XCTAssertEqual(try sealer.open(forged, at: now).claims.subject, "user-42")
    }

    func testMixedRingsOpenBothAndReissueUnderThePrimary() throws {
        let gcm = try Self.gcmKey()
        let xcSealer = try SessionSealer(keys: KeyRing(primary: Fixture.key1))
        let gcmSealer = try SessionSealer(keys: KeyRing(primary: gcm))
        let xcToken = try xcSealer.seal(subject: "alice", at: now).token
        let gcmToken = try gcmSealer.seal(subject: "bob", at: now).token

        // XC20P primary, A256GCM accepted.
        let mixed = try SessionSealer(keys: KeyRing(primary: Fixture.key1, accepted: [gcm]))
        XCTAssertTrue(try mixed.open(xcToken, at: now).isPrimaryKey)
        let fromGCM = try mixed.open(gcmToken, at: now)
        XCTAssertEqual(fromGCM.keyID, "g1")
        XCTAssertFalse(fromGCM.isPrimaryKey)
        XCTAssertTrue(fromGCM.needsReissue)
        let replacement = try XCTUnwrap(try mixed.refresh(gcmToken, at: now).replacement)
        XCTAssertEqual(try UnverifiedHeader(token: replacement).encryption, "XC20P")
        XCTAssertEqual(try mixed.open(replacement, at: now).claims.subject, "bob")

        // A256GCM primary, XC20P accepted.
        let reversed = try SessionSealer(keys: KeyRing(primary: gcm, accepted: [Fixture.key1]))
        XCTAssertTrue(try reversed.open(gcmToken, at: now).isPrimaryKey)
        XCTAssertEqual(try reversed.open(xcToken, at: now).keyID, "k1")
        let back = try XCTUnwrap(try reversed.refresh(xcToken, at: now).replacement)
        XCTAssertEqual(try UnverifiedHeader(token: back).encryption, "A256GCM")
        XCTAssertEqual(try reversed.open(back, at: now).keyID, "g1")

        // A ring without the A256GCM key refuses its tokens, and vice versa.
        XCTAssertTokenError(.invalid, try xcSealer.open(gcmToken, at: now))
        XCTAssertTokenError(.invalid, try gcmSealer.open(xcToken, at: now))
    }

    func testAnEncOtherThanTheKeysIsInvalidBothWays() throws {
        let gcm = try Self.gcmKey()
        let sealer = try SessionSealer(keys: KeyRing(primary: Fixture.key1, accepted: [gcm]))
        let claims = Fixture.standardClaims

        // An A256GCM key named by an XC20P header: refused whether the AEAD is GCM (12-byte nonce)
        // or XChaCha20 (24-byte nonce) under the key's bytes; both authenticate with the right cipher.
        let xcHeaderForGCMKey = #"{"alg":"dir","enc":"XC20P","kid":"g1"}"#
        XCTAssertTokenError(.invalid, try sealer.open(Self.forgeGCM(header: xcHeaderForGCMKey, claims: claims, key: gcm), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: xcHeaderForGCMKey, claims: claims, key: gcm), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(
            Self.forgeGCM(header: #"{"kid":"g1","alg":"dir","enc":"XC20P"}"#, claims: claims, key: gcm), at: now))

        // An XC20P key named by an A256GCM header: refused for either AEAD under its bytes.
        let gcmHeaderForXCKey = #"{"alg":"dir","enc":"A256GCM","kid":"k1"}"#
        XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: gcmHeaderForXCKey, claims: claims), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(Self.forgeGCM(header: gcmHeaderForXCKey, claims: claims, key: Fixture.key1), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(
            Fixture.forge(header: #"{"enc":"A256GCM","kid":"k1","alg":"dir"}"#, claims: claims), at: now))

        // The controls: the same forgers with each key's own enc open.
        XCTAssertNoThrow(try sealer.open(Self.forgeGCM(header: Self.gcmHeader, claims: claims, key: gcm), at: now))
        XCTAssertNoThrow(try sealer.open(Fixture.forge(header: Fixture.standardHeader, claims: claims), at: now))
    }

    func testTheNonceMustBeTwelveBytes() throws {
        let gcm = try Self.gcmKey()
        let sealer = try SessionSealer(keys: KeyRing(primary: gcm, accepted: [Fixture.key1]))
        XCTAssertNoThrow(try sealer.open(Self.forgeGCM(header: Self.gcmHeader, claims: Fixture.standardClaims, key: gcm), at: now))
        for length in [0, 1, 11, 13, 16, 23, 24, 25] {
            let token = Self.forgeGCM(header: Self.gcmHeader, claims: Fixture.standardClaims, key: gcm, nonceLength: length)
            XCTAssertTokenError(.invalid, try sealer.open(token, at: now), "nonce of \(length) bytes")
        }
        // An XC20P key still wants exactly 24 bytes, even in a ring that holds an A256GCM key.
        for length in [12, 23, 25] {
            let token = Fixture.forge(header: Fixture.standardHeader, claims: Fixture.standardClaims, nonceLength: length)
            XCTAssertTokenError(.invalid, try sealer.open(token, at: now), "XC20P nonce of \(length) bytes")
        }
        // A tag of other than 16 bytes.
        let token = Self.forgeGCM(header: Self.gcmHeader, claims: Fixture.standardClaims, key: gcm)
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[4] = String(parts[4].dropLast(2))
        XCTAssertTokenError(.invalid, try sealer.open(parts.joined(separator: "."), at: now))
    }

    func testEveryBitFlipIsRejected() throws {
        let sealer = try SessionSealer(keys: KeyRing(primary: Self.gcmKey(), accepted: [Fixture.key1]))
        let token = try sealer.seal(subject: "user-42", at: now).token
        XCTAssertEveryBitFlipIsInvalid(token, sealer: sealer, at: now)
    }

    // MARK: - Key ring text form

    func testSpecRoundTrip() throws {
        let gcm = try Self.gcmKey()
        let gcmText = gcm.exportBase64URL()
        let xcText = Fixture.key1.exportBase64URL()

        let ring = try KeyRing(primary: gcm, accepted: [Fixture.key1])
        let spec = ring.exportSpec()
        XCTAssertEqual(spec, "g1:A256GCM:\(gcmText),k1:\(xcText)", "XC20P keys export as they always did")
        let back = try KeyRing(spec: spec)
        XCTAssertEqual(back.keys, ring.keys)
        XCTAssertEqual(back.primary.encryption, .aes256GCM)
        XCTAssertEqual(back.keys[1].encryption, .xchacha20Poly1305)

        // The explicit XC20P form, a stopped-sealing mark on an A256GCM key, and retired IDs.
        let full = try KeyRing(spec: " k1:XC20P:\(xcText) , g1:A256GCM:\(gcmText)@1795900000,old:retired ")
        XCTAssertEqual(full.primary, Fixture.key1)
        XCTAssertEqual(full.key(id: "g1"), gcm)
        XCTAssertEqual(full.stoppedSealing("g1"), Date(timeIntervalSince1970: 1_795_900_000))
        XCTAssertEqual(full.state(of: "old"), .retired)
        XCTAssertEqual(full.exportSpec(), "k1:\(xcText),g1:A256GCM:\(gcmText)@1795900000,old:retired")
        XCTAssertEqual(try KeyRing(spec: full.exportSpec()).exportSpec(), full.exportSpec())

        // A ring of XC20P keys exports unchanged.
        XCTAssertEqual(Fixture.ring.exportSpec(), "k1:\(xcText),k2:\(Fixture.key2.exportBase64URL())")
    }

    func testSpecErrorsNameTheEntry() throws {
        let gcmText = try Self.gcmKey().exportBase64URL()
        let xcText = Fixture.key1.exportBase64URL()
        let bad = [
            "g1:AES:\(gcmText)",
            "g1:a256gcm:\(gcmText)",
            "g1:A256GCM:",
            "g1:A256GCM:\(gcmText):x",
            "g1:A256GCM:retired",
            "g1::\(gcmText)",
            "g1:A256GCM:\(gcmText.dropLast())",
            "g1:A256GCM:\(gcmText)@",
        ]
        for entry in bad {
            do {
                _ = try KeyRing(spec: "k1:\(xcText),\(entry)")
                XCTFail("\(entry) was accepted")
            } catch SessionTokenError.configuration(let message) {
                XCTAssertTrue(message.contains("entry 2"), "\(entry): \(message)")
                XCTAssertFalse(message.contains(gcmText.prefix(8)), "\(entry): the message quotes key text")
            } catch {
                XCTFail("\(entry): \(error)")
            }
        }
        XCTAssertTokenError(.configuration("key ring spec entry 1 is not of the form KID:KEY or KID:ENC:KEY (ENC: A256GCM or XC20P)"),
                            try KeyRing(spec: "g1:AES:\(gcmText)"))
    }

    // MARK: - Wycheproof

    /// `aes_gcm_test.json`, the groups of 256-bit keys, 96-bit IVs and 128-bit tags (the only
    /// shape A256GCM tokens have), through the precomputed-state layer: every valid case seals
    /// to the expected bytes and opens; every invalid one is refused.
    func testWycheproofAESGCM() throws {
        let file = try VectorFiles.wycheproof("aes_gcm_test.json", as: WycheproofFile<WycheproofAEADGroup>.self)
        let tests = file.testGroups.filter { $0.keySize == 256 && $0.ivSize == 96 && $0.tagSize == 128 }.flatMap(\.tests)
        var valid = 0, invalid = 0
        for t in tests {
            let key = [UInt8](hex: t.key), iv = [UInt8](hex: t.iv), aad = [UInt8](hex: t.aad)
            let msg = [UInt8](hex: t.msg), ct = [UInt8](hex: t.ct), tag = [UInt8](hex: t.tag)
            let state = try XCTUnwrap(key.withUnsafeBytes { AES256GCM.precompute(key: $0) })
            func open(_ tag: [UInt8]) -> [UInt8]? {
                var out = [UInt8](repeating: 0, count: ct.count)
                let ok = ct.withUnsafeBytes { c in
                    tag.withUnsafeBytes { g in
                        aad.withUnsafeBytes { a in
                            iv.withUnsafeBytes { n in
                                state.withUnsafeBytes { s in
                                    out.withUnsafeMutableBytes {
                                        AES256GCM.open(ciphertext: c, tag: g, additionalData: a, nonce: n, state: s, plaintext: $0)
                                    }
                                }
                            }
                        }
                    }
                }
                return ok ? out : nil
            }
            switch t.result {
            case "valid":
                valid += 1
                XCTAssertEqual(open(tag)?.hex, t.msg, "tcId \(t.tcId) opens")
                var sealed = [UInt8](repeating: 0, count: msg.count), sealedTag = [UInt8](repeating: 0, count: 16)
                msg.withUnsafeBytes { m in
                    aad.withUnsafeBytes { a in
                        iv.withUnsafeBytes { n in
                            state.withUnsafeBytes { s in
                                sealed.withUnsafeMutableBytes { c in
                                    sealedTag.withUnsafeMutableBytes { g in
                                        AES256GCM.seal(plaintext: m, additionalData: a, nonce: n, state: s, ciphertext: c, tag: g)
                                    }
                                }
                            }
                        }
                    }
                }
                XCTAssertEqual(sealed.hex, t.ct, "tcId \(t.tcId) ciphertext")
                XCTAssertEqual(sealedTag.hex, t.tag, "tcId \(t.tcId) tag")
                var flipped = tag
                flipped[15] ^= 0x80
                XCTAssertNil(open(flipped), "tcId \(t.tcId) with a flipped tag bit")
            default:
                invalid += 1
                XCTAssertNil(open(tag), "tcId \(t.tcId) must be refused")
            }
        }
        XCTAssertEqual(valid, 39)
        XCTAssertEqual(invalid, 27)
    }
}
