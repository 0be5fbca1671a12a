import Crypto
import _CryptoExtras
import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenNextAuth
import SessionTokenInternals

/// Tokens written by ``NextAuthCodec/encode(_:at:)``: their form, claims and round trips.
final class EncodeTests: XCTestCase {
    let user = NextAuthClaims(name: "Ada", email: "ada@example.com", picture: nil, subject: "user-42",
                              expiresAt: Date(timeIntervalSince1970: 0))

    func header(_ token: String) throws -> [String: String] {
        let segment = try XCTUnwrap(token.split(separator: ".", omittingEmptySubsequences: false).first)
        let json = try XCTUnwrap(unb64(String(segment)))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json)) as? [String: String])
    }

    func testV4TokenHasNextAuthsHeaderAndClaims() throws {
        let codec = try NextAuthCodec(secrets: ["s3cret"], format: .v4)
        let token = try codec.encode(user, at: fixedNow.addingTimeInterval(0.75))
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, 5)
        XCTAssertEqual(parts[1], "")
        XCTAssertEqual(String(parts[0]), b64(Array(#"{"alg":"dir","enc":"A256GCM"}"#.utf8)), "the exact bytes jose writes")
        XCTAssertEqual(unb64(String(parts[2]))?.count, 12)
        XCTAssertEqual(unb64(String(parts[4]))?.count, 16)

        let claims = try codec.decode(token, at: fixedNow)
        XCTAssertEqual(claims.subject, "user-42")
        XCTAssertEqual(claims.name, "Ada")
        XCTAssertNil(claims.picture)
        XCTAssertEqual(claims.issuedAt, fixedNow, "iat in whole seconds")
        XCTAssertEqual(claims.expiresAt, fixedNow.addingTimeInterval(2_592_000), "exp = iat + 30 days, not the given exp")
        let jti = try XCTUnwrap(claims.tokenID)
        XCTAssertEqual(jti, jti.lowercased())
        let uuid = try XCTUnwrap(UUID(uuidString: jti))
        XCTAssertEqual(uuid.uuid.6 >> 4, 4, "UUID version 4")
        XCTAssertEqual(uuid.uuid.8 >> 6, 2, "RFC 4122 variant")
    }

    func testV5TokenCarriesTheThumbprintKid() throws {
        for format in [NextAuthFormat.v5(secure: false), .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["new", "old"], format: format, maxAge: 3600)
            let token = try codec.encode(["sub": "u1", "role": "admin"], at: fixedNow)
            let h = try header(token)
            XCTAssertEqual(h["alg"], "dir")
            XCTAssertEqual(h["enc"], "A256CBC-HS512")
            XCTAssertEqual(h["kid"], codec.secrets[0].cbcKeyID)
            XCTAssertEqual(h["kid"]?.count, 86, "base64url of a SHA-512 digest")
            XCTAssertTrue(String(token.split(separator: ".")[0]).hasPrefix(b64(Array(#"{"alg":"dir","enc":"A256CBC-HS512","kid":""#.utf8)).prefix(40)))
            let claims = try codec.decode(token, at: fixedNow)
            XCTAssertEqual(claims.expiresAt, fixedNow.addingTimeInterval(3600))
            // An older deployment that only knows "new" reads it; one that only knows "old" does not.
            XCTAssertNoThrow(try NextAuthCodec(secrets: ["new"], format: format).decode(token, at: fixedNow))
            XCTAssertTokenError(.invalid, try NextAuthCodec(secrets: ["old"], format: format).decode(token, at: fixedNow))
        }
    }

    func testRotationDecodesTokensOfEverySecret() throws {
        let old = try NextAuthCodec(secrets: ["old"], format: .v5(secure: true))
        let rotated = try NextAuthCodec(secrets: ["new", "old"], format: .v5(secure: true))
        XCTAssertEqual(try rotated.decode(old.encode(user, at: fixedNow), at: fixedNow).subject, "user-42")
        let oldV4 = try NextAuthCodec(secrets: ["old"], format: .v4)
        let rotatedV4 = try NextAuthCodec(secrets: ["new", "old"], format: .v4)
        XCTAssertEqual(try rotatedV4.decode(oldV4.encode(user, at: fixedNow), at: fixedNow).subject, "user-42")
    }

    /// `NextAuthClaims` are written straight into the plaintext; any other type goes through
    /// JSONEncoder and the strict parser. Both must write the same bytes for the same claims
    /// (but the random `jti`), for every optional left out, every escape and both formats.
    func testStandardClaimsAreWrittenAsTheGeneralPathWrites() throws {
        /// The same claims behind another type, so that `encode` cannot take the direct path.
        struct Wrapped: Encodable {
            var claims: NextAuthClaims
            func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        }
        let texts: [String?] = [nil, "", "Ada Lovelace", "quote \" back \\ slash / solidus", "tab\tnew\nline\rcr \u{1}\u{1F}\u{7F}",
                                "ünïcödé \u{2028} 😀", String(repeating: "é", count: 300)]
        let times: [Date?] = [nil, Date(timeIntervalSince1970: 1_700_000_000), Date(timeIntervalSince1970: 1_700_000_000.5),
                              Date(timeIntervalSince1970: 1_700_000_000.123), Date(timeIntervalSince1970: 1_700_000_000.0001),
                              Date(timeIntervalSince1970: 2e12), Date(timeIntervalSince1970: -5)]
        var generator = SystemRandomNumberGenerator()
        let jti = try NSRegularExpression(pattern: #""jti":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}""#)
        func payload(_ token: String, _ codec: NextAuthCodec) throws -> String {
            let text = try codec.withVerifiedPayload(token, at: fixedNow, picking: []) { _, _, payload in
                String(decoding: payload, as: UTF8.self)
            }
            let range = NSRange(text.startIndex..., in: text)
            XCTAssertEqual(jti.numberOfMatches(in: text, range: range), 1, text)
            return jti.stringByReplacingMatches(in: text, range: range, withTemplate: #""jti":"-""#)
        }
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["s3cret"], format: format)
            for round in 0..<60 {
                let claims = NextAuthClaims(
                    name: texts.randomElement(using: &generator)!, email: texts.randomElement(using: &generator)!,
                    picture: texts.randomElement(using: &generator)!, subject: round == 0 ? nil : "user-\(round)",
                    issuedAt: Date(timeIntervalSince1970: 1), expiresAt: Date(timeIntervalSince1970: 2),
                    tokenID: round % 2 == 0 ? "given" : nil, sessionID: texts.randomElement(using: &generator)!,
                    authenticatedAt: times[round % times.count])
                let direct = try payload(codec.encode(claims, at: fixedNow), codec)
                let general = try payload(codec.encode(Wrapped(claims: claims), at: fixedNow), codec)
                XCTAssertEqual(direct, general, "round \(round)")
                XCTAssertTrue(direct.contains(#""exp":1802592000,"iat":1800000000,"#), direct)
            }
        }
    }

    /// Re-issuing next-auth's own claims writes them again directly (the fast path); the bytes
    /// must be the original's but `iat`, `exp` and `jti`, in the same order, with a `null`
    /// member kept (that one goes through the general path).
    func testReissueWritesTheSameBytesButTheThreeNewMembers() throws {
        let jti = try NSRegularExpression(pattern: #""exp":[0-9]+,"iat":[0-9]+,"jti":"[0-9a-f-]{36}""#)
        func normalized(_ token: String, _ codec: NextAuthCodec, at now: Date) throws -> String {
            let text = try codec.withVerifiedPayload(token, at: now, picking: []) { _, _, payload in
                String(decoding: payload, as: UTF8.self)
            }
            let range = NSRange(text.startIndex..., in: text)
            XCTAssertEqual(jti.numberOfMatches(in: text, range: range), 1, text)
            return jti.stringByReplacingMatches(in: text, range: range, withTemplate: "T")
        }
        let later = fixedNow.addingTimeInterval(86_400)
        let cases: [[String: AnyCodableJSON]] = [
            ["sub": .string("user-1")],
            ["sub": .string("user-1"), "name": .string("Ada"), "email": .string("ada@example.com"),
             "picture": .string("https://example.com/a.png"), "sid": .string("s-1"), "auth_time": .number(1_799_000_000)],
            ["sub": .string("user-1"), "auth_time": .number(1_799_000_000.25)],
            ["sub": .string("user-1"), "picture": .null, "name": .string("Ada")],
            ["sub": .string("user-1"), "name": .string("ünï \"quoted\"")],
            ["sub": .string("user-1"), "role": .string("admin")],
        ]
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["s3cret"], format: format)
            for claims in cases {
                let token = try codec.encode(claims, at: fixedNow)
                let reissued = try codec.reissue(token, at: later)
                XCTAssertEqual(try normalized(reissued, codec, at: later), try normalized(token, codec, at: fixedNow), "\(claims)")
                XCTAssertEqual(try codec.decode(reissued, at: later).issuedAt, later)
            }
        }
    }

    func testJTIIsAVersion4UUIDOfItsRandomBytes() {
        let zeros = [UInt8](repeating: 0, count: 16), ones = [UInt8](repeating: 0xFF, count: 16)
        XCTAssertEqual(zeros.withUnsafeBytes { NextAuthCodec.uuidV4($0) }, "00000000-0000-4000-8000-000000000000")
        XCTAssertEqual(ones.withUnsafeBytes { NextAuthCodec.uuidV4($0) }, "ffffffff-ffff-4fff-bfff-ffffffffffff")
        let counting = (0..<16).map { UInt8($0 * 17) }
        XCTAssertEqual(counting.withUnsafeBytes { NextAuthCodec.uuidV4($0) }, "00112233-4455-4677-8899-aabbccddeeff")
        // The same text Foundation's UUID gives for those bytes (it sets no bits itself).
        let bytes = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
        var fixed = bytes
        fixed[6] = fixed[6] & 0x0F | 0x40
        fixed[8] = fixed[8] & 0x3F | 0x80
        let foundation = fixed.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }.uuidString.lowercased()
        XCTAssertEqual(bytes.withUnsafeBytes { NextAuthCodec.uuidV4($0) }, foundation)
    }

    func testCustomEncodableClaimsAndOverrides() throws {
        struct Session: Codable { var sub: String; var roles: [String]; var iat: Int; var jti: String; var note: String }
        let codec = try NextAuthCodec(secrets: ["x"], format: .v4, maxAge: 60)
        let token = try codec.encode(Session(sub: "7", roles: ["a", "b"], iat: 1, jti: "mine", note: "quote \" and \u{1} and é"), at: fixedNow)
        let back = try codec.decode(token, as: Session.self, at: fixedNow)
        XCTAssertEqual(back.roles, ["a", "b"])
        XCTAssertEqual(back.iat, 1_800_000_000, "iat is always now")
        XCTAssertNotEqual(back.jti, "mine", "jti is always fresh")
        XCTAssertEqual(back.note, "quote \" and \u{1} and é")
    }

    func testTimesAroundTheTolerance() throws {
        let codec = try NextAuthCodec(secrets: ["x"], format: .v5(secure: false), maxAge: 100)
        let token = try codec.encode(user, at: fixedNow)
        let exp = fixedNow.addingTimeInterval(100)
        XCTAssertNoThrow(try codec.decode(token, at: exp.addingTimeInterval(14.999)))
        XCTAssertTokenError(.expired, try codec.decode(token, at: exp.addingTimeInterval(15)))
        XCTAssertNoThrow(try codec.decode(token, at: fixedNow.addingTimeInterval(-15)))
        XCTAssertTokenError(.notYetValid, try codec.decode(token, at: fixedNow.addingTimeInterval(-15.001)))
        let strict = try NextAuthCodec(secrets: ["x"], format: .v5(secure: false), clockTolerance: 0)
        XCTAssertTokenError(.expired, try strict.decode(token, at: exp))
        XCTAssertNoThrow(try strict.decode(token, at: exp.addingTimeInterval(-0.001)))
        // Tampered and expired: authentication comes first, so it is `invalid`.
        var bytes = Array(token.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertTokenError(.invalid, try codec.decode(String(decoding: bytes, as: UTF8.self), at: exp.addingTimeInterval(1000)))
    }

    func testEveryCharacterChangeIsInvalid() throws {
        for format in [NextAuthFormat.v4, .v5(secure: true)] {
            let codec = try NextAuthCodec(secrets: ["x"], format: format)
            let token = Array(try codec.encode(["sub": "u"], at: fixedNow).utf8)
            for index in token.indices where token[index] != UInt8(ascii: ".") {
                var forged = token
                forged[index] = forged[index] == UInt8(ascii: "A") ? UInt8(ascii: "Q") : UInt8(ascii: "A")
                XCTAssertTokenError(.invalid, try codec.decode(String(decoding: forged, as: UTF8.self), at: fixedNow), "\(format) at \(index)")
            }
        }
    }

    func testUnsealableClaims() throws {
        let codec = try NextAuthCodec(secrets: ["x"], format: .v4, maxTokenLength: 256)
        XCTAssertTokenError(.unsealable("the claims must be a JSON object"), try codec.encode(["a", "b"], at: fixedNow))
        XCTAssertThrowsError(try codec.encode(["blob": String(repeating: "x", count: 400)], at: fixedNow))
        XCTAssertThrowsError(try codec.encode(["n": Double.nan], at: fixedNow))
    }

    func testLengthIsCheckedFirstAndDefaultsFitChunkedTokens() throws {
        XCTAssertGreaterThanOrEqual(NextAuthCodec.defaultMaxTokenLength, 16_384)
        let codec = try NextAuthCodec(secrets: ["x"], format: .v5(secure: false))
        let big = try codec.encode(["blob": String(repeating: "y", count: 9000)], at: fixedNow)
        XCTAssertGreaterThan(big.utf8.count, 3 * 3936 - 1000)
        XCTAssertNoThrow(try codec.decode(big, at: fixedNow))
        let small = try NextAuthCodec(secrets: ["x"], format: .v5(secure: false), maxTokenLength: 4096)
        XCTAssertTokenError(.invalid, try small.decode(big, at: fixedNow))
        XCTAssertTokenError(.invalid, try codec.decode(String(repeating: "A", count: 20_000), at: fixedNow))
    }

    func testConfigurationErrors() {
        XCTAssertThrowsError(try NextAuthCodec(secrets: [], format: .v4)) { error in
            guard case .configuration = error as? SessionTokenError else { return XCTFail("\(error)") }
        }
        for (secrets, format): ([String], NextAuthFormat) in [
            ([""], .v4), (Array(repeating: "s", count: 9), .v4), (["s"], .v5(cookieName: "")),
            (["s"], .v5(cookieName: "bad name")), (["s"], .v5(cookieName: "a;b")),
        ] {
            XCTAssertThrowsError(try NextAuthCodec(secrets: secrets, format: format)) { error in
                guard case .configuration(let message) = error as? SessionTokenError else { return XCTFail("\(error)") }
                XCTAssertFalse(message.contains("s,"), message)
            }
        }
        XCTAssertThrowsError(try NextAuthCodec(secrets: ["s"], format: .v4, clockTolerance: -1))
        XCTAssertThrowsError(try NextAuthCodec(secrets: ["s"], format: .v4, clockTolerance: .nan))
        XCTAssertThrowsError(try NextAuthCodec(secrets: ["s"], format: .v4, maxTokenLength: 10))
        XCTAssertThrowsError(try NextAuthCodec(secrets: ["s"], format: .v4, maxAge: 0))
        // A secret never shows up in an error.
        do {
            _ = try NextAuthCodec(secrets: ["topsecretvalue", ""], format: .v4)
        } catch {
            XCTAssertFalse("\(error)".contains("topsecretvalue"))
        }
    }

    func testKeysAreDerivedOnceAndMatchTheThumbprintRule() throws {
        let codec = try NextAuthCodec(secrets: ["a", "b"], format: .v5(cookieName: "authjs.session-token"))
        XCTAssertEqual(codec.secrets.count, 2)
        for secret in codec.secrets {
            XCTAssertEqual(secret.gcm.symmetric.bitCount, 256)
            XCTAssertEqual(secret.gcm.state != nil, AES256GCM.isAvailable, "libsodium's precomputed state where AES-NI is")
            XCTAssertEqual(secret.gcmKeyID?.count, 43, "SHA-256 thumbprint")
            XCTAssertEqual(secret.cbcKeyID?.count, 86, "SHA-512 thumbprint")
        }
        XCTAssertNotEqual(codec.secrets[0].cbcKeyID, codec.secrets[1].cbcKeyID)
        let v4 = try NextAuthCodec(secrets: ["a"], format: .v4)
        XCTAssertNil(v4.secrets[0].cbc)
        XCTAssertNil(v4.secrets[0].gcmKeyID)
    }

    func testConcurrentDecoding() async throws {
        let codec = try NextAuthCodec(secrets: ["x"], format: .v5(secure: true))
        let token = try codec.encode(["sub": "u"], at: fixedNow)
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<32 { group.addTask { try codec.decode(token, at: fixedNow).subject } }
            for try await subject in group { XCTAssertEqual(subject, "u") }
        }
    }
}

/// Tokens the direct path writes (`NextAuthClaims`), opened by another implementation of the
/// same ciphers: swift-crypto's HKDF, AES-GCM, AES-CBC and HMAC-SHA-512 (BoringSSL), with
/// next-auth's and Auth.js's key derivations written out here, not the codec's. The encoder's
/// cipher layer is libsodium's (AES-256-GCM in place, HMAC-SHA-512 from a keyed state).
final class EncodeInteropTests: XCTestCase {
    func testDirectPathTokensOpenWithBoringSSL() throws {
        let secret = "interop-secret"
        let claims = NextAuthClaims(name: "Zoë \"Z\"", email: "zoe@example.com", picture: nil, subject: "u-1",
                                    expiresAt: fixedNow, sessionID: "s-1", authenticatedAt: fixedNow)
        for (format, salt) in [(NextAuthFormat.v4, nil), (.v5(secure: true), "__Secure-authjs.session-token"),
                               (.v5(secure: false), "authjs.session-token")] as [(NextAuthFormat, String?)] {
            let token = try NextAuthCodec(secrets: [secret], format: format).encode(claims, at: fixedNow)
            let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(parts.count, 5)
            let aad = Array(parts[0].utf8)
            let iv = try XCTUnwrap(unb64(parts[2])), ciphertext = try XCTUnwrap(unb64(parts[3]))
            let tag = try XCTUnwrap(unb64(parts[4]))
            let plaintext: [UInt8]
            if let salt {
                let key = HKDF<SHA256>.deriveKey(
                    inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), salt: Array(salt.utf8),
                    info: Array("Auth.js Generated Encryption Key (\(salt))".utf8), outputByteCount: 64)
                let (macKey, encryptionKey) = key.withUnsafeBytes {
                    (SymmetricKey(data: Array($0[0..<32])), SymmetricKey(data: Array($0[32..<64])))
                }
                var mac = HMAC<SHA512>(key: macKey)
                mac.update(data: aad + iv + ciphertext + withUnsafeBytes(of: (UInt64(aad.count) * 8).bigEndian, Array.init))
                XCTAssertEqual(Array(mac.finalize()).prefix(32), tag[...], "\(format): the tag")
                plaintext = Array(try AES._CBC.decrypt(ciphertext, using: encryptionKey, iv: AES._CBC.IV(ivBytes: iv)))
            } else {
                let key = HKDF<SHA256>.deriveKey(
                    inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), salt: [UInt8](),
                    info: Array("NextAuth.js Generated Encryption Key".utf8), outputByteCount: 32)
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
                plaintext = Array(try AES.GCM.open(box, using: key, authenticating: aad))
            }
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: Any])
            XCTAssertEqual(object["name"] as? String, "Zoë \"Z\"")
            XCTAssertEqual(object["email"] as? String, "zoe@example.com")
            XCTAssertNil(object["picture"])
            XCTAssertEqual(object["sub"] as? String, "u-1")
            XCTAssertEqual(object["sid"] as? String, "s-1")
            XCTAssertEqual((object["iat"] as? NSNumber)?.doubleValue, fixedNow.timeIntervalSince1970)
            XCTAssertEqual((object["auth_time"] as? NSNumber)?.doubleValue, fixedNow.timeIntervalSince1970)
            XCTAssertEqual(object.count, 8, "\(object.keys.sorted())")
        }
    }
}

/// A front end's JSON may be shorter than this codec writes it again (`1e21` comes back as
/// `1e+21`, `1E2` as `100`): re-issuing such a token must size its plaintext to what it
/// writes, not to what it read.
final class ReissueLengthTests: XCTestCase {
    func testClaimsThatGrowWhenWrittenAgainAreReissued() throws {
        let codec = try NextAuthCodec(secrets: ["s"], format: .v4)
        let numbers = (0..<300).map { "\"n\($0)\":1e21" }.joined(separator: ",")
        let payload = Array(#"{"sub":"u-1","iat":1800000000,"exp":1800086400,"jti":"j",\#(numbers)}"#.utf8)
        let header = codec.secrets[0].headerSegment
        var text = payload, tag = [UInt8](repeating: 0, count: 16)
        let iv = [UInt8](repeating: 9, count: 12)
        let sealed = text.withUnsafeMutableBytes { text in
            tag.withUnsafeMutableBytes { tag in
                iv.withUnsafeBytes { iv in
                    header.withUnsafeBytes { AESGCMContent.seal(text, additionalData: $0, iv: iv, key: codec.secrets[0].gcm, tag: tag) }
                }
            }
        }
        XCTAssertTrue(sealed)
        let token = String(decoding: header, as: UTF8.self) + ".." + b64(iv) + "." + b64(text) + "." + b64(tag)
        XCTAssertEqual(try codec.decode(token, at: fixedNow).subject, "u-1")
        let reissued = try codec.reissue(token, at: fixedNow)
        let claims = try codec.decode(reissued, as: [String: AnyCodableJSON].self, at: fixedNow)
        XCTAssertEqual(claims["n299"], .number(1e21))
        XCTAssertEqual(claims.count, 304)
    }
}
