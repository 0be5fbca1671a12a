import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// One test per opening rule: each forged token is correct in every way but the one under
/// test (its AEAD included), so the test fails if that one rule is missing.
final class RejectionTests: XCTestCase {
    let sealer = Fixture.formatSealer
    let now = Fixture.now
    let claims = Fixture.standardClaims

    func forge(_ header: String, _ claims: String? = nil) -> String {
        Fixture.forge(header: header, claims: claims ?? self.claims)
    }

    func testControlTokenOpens() throws {
        // The forging helper itself produces openable tokens; every rejection below is meaningful.
        XCTAssertEqual(try sealer.open(forge(Fixture.standardHeader), at: now).subject, "user-42")
    }

    func testLengthLimitComesFirst() throws {
        let token = try sealer.seal(subject: "user-42", at: now).token
        let tight = try SessionSealer(keys: Fixture.ring, maxTokenLength: token.utf8.count)
        XCTAssertNoThrow(try tight.open(token, at: now))
        let tighter = try SessionSealer(keys: Fixture.ring, maxTokenLength: token.utf8.count - 1)
        XCTAssertTokenError(.invalid, try tighter.open(token, at: now))
        XCTAssertTokenError(.invalid, try sealer.open(String(repeating: "A", count: 4097), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(String(repeating: ".", count: 100_000), at: now))
    }

    func testSegmentCount() throws {
        let good = forge(Fixture.standardHeader)
        XCTAssertTokenError(.invalid, try sealer.open(good + ".AAAA", at: now))
        XCTAssertTokenError(.invalid, try sealer.open(good + ".", at: now))
        let parts = good.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertTokenError(.invalid, try sealer.open(parts.dropLast().joined(separator: "."), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(parts.dropFirst(2).joined(separator: "."), at: now))
        XCTAssertTokenError(.invalid, try sealer.open("", at: now))
        XCTAssertTokenError(.invalid, try sealer.open("....", at: now))
    }

    func testEncryptedKeySegmentMustBeEmpty() {
        let token = Fixture.forge(header: Fixture.standardHeader, claims: claims, encryptedKey: "AAAA")
        XCTAssertTokenError(.invalid, try sealer.open(token, at: now))
    }

    func testNonCanonicalBase64IsRejectedInEverySegment() throws {
        let good = forge(Fixture.standardHeader)
        let parts = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for index in [0, 2, 3, 4] {
            for mutation in ["=", "==", " ", "\n", "+", "/"] {
                var copy = parts
                copy[index] += mutation
                XCTAssertTokenError(.invalid, try sealer.open(copy.joined(separator: "."), at: now),
                                    "segment \(index) with \(mutation.debugDescription) appended")
            }
            var copy = parts
            copy[index] = String(copy[index].dropLast()) + "/"
            XCTAssertTokenError(.invalid, try sealer.open(copy.joined(separator: "."), at: now))
        }
    }

    func testNonCanonicalTrailingBits() {
        // The 16-byte tag is 22 characters; the last carries 2 unused bits that must be zero.
        let good = forge(Fixture.standardHeader)
        var parts = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = parts[4].last!
        let value = alphabet.firstIndex(of: last)!
        parts[4] = String(parts[4].dropLast()) + String(alphabet[value | 1])
        XCTAssertNotEqual(value, value | 1, "the canonical character has its low bits clear")
        XCTAssertTokenError(.invalid, try sealer.open(parts.joined(separator: "."), at: now))
    }

    func testHeaderMustBeAJSONObject() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"["dir","XC20P","k1"]"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#""k1""#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1""#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1"} x"#), at: now))
    }

    func testAlgorithmMustBeDir() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"A256KW","enc":"XC20P","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"none","enc":"XC20P","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"enc":"XC20P","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"DIR","enc":"XC20P","kid":"k1"}"#), at: now))
    }

    func testEncryptionMustBeTheKeys() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"A256GCM","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"xc20p","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","kid":"k1"}"#), at: now))
    }

    func testKidMustNameAKeyOfTheRing() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k3"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":1}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"K1"}"#), at: now))
    }

    func testKidNamingAnotherKeyIsNotRescuedByTrialDecryption() {
        // Sealed with k1, but the header names k2: no fallback to other keys.
        let token = Fixture.forge(header: #"{"alg":"dir","enc":"XC20P","kid":"k2"}"#, claims: claims, key: Fixture.key1)
        XCTAssertTokenError(.invalid, try sealer.open(token, at: now))
    }

    func testZipIsRejected() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1","zip":"DEF"}"#), at: now))
    }

    func testCritIsRejected() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1","crit":["exp"],"exp":1}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1","crit":[]}"#), at: now))
    }

    func testDuplicateHeaderMembersAreRejected() {
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k2","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","alg":"dir","enc":"XC20P","kid":"k1"}"#), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(forge(#"{"alg":"dir","enc":"XC20P","kid":"k1","\u006bid":"k1"}"#), at: now))
    }

    func testUnknownHeaderMembersAndAnyOrderAreAccepted() throws {
        XCTAssertNoThrow(try sealer.open(forge(#"{"kid":"k1","enc":"XC20P","alg":"dir"}"#), at: now))
        XCTAssertNoThrow(try sealer.open(forge(#"{"typ":"JWT","cty":"json","alg":"dir","x":{"y":[1]},"enc":"XC20P","kid":"k1"}"#), at: now))
        XCTAssertNoThrow(try sealer.open(forge(" {\"alg\" : \"dir\",\n\"enc\":\"XC20P\", \"kid\":\"k1\"} "), at: now))
    }

    func testNonceAndTagSizes() {
        for length in [0, 12, 23, 25, 32] {
            let token = Fixture.forge(header: Fixture.standardHeader, claims: claims, nonceLength: length)
            XCTAssertTokenError(.invalid, try sealer.open(token, at: now), "nonce of \(length) bytes")
        }
        for length in [0, 12, 15, 17, 32] {
            let token = Fixture.forge(header: Fixture.standardHeader, claims: claims, tagLength: length)
            XCTAssertTokenError(.invalid, try sealer.open(token, at: now), "tag of \(length) bytes")
        }
    }

    func testWrongKeyFailsAuthentication() throws {
        let stranger = try SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))
        let token = Fixture.forge(header: Fixture.standardHeader, claims: claims, key: stranger)
        XCTAssertTokenError(.invalid, try sealer.open(token, at: now))
    }

    func testHeaderIsAuthenticatedAsSent() throws {
        // Re-encoding the same header JSON differently changes the AAD, so the tag fails.
        let token = forge(Fixture.standardHeader)
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[0] = Fixture.base64URL(#"{"alg":"dir","enc":"XC20P","kid":"k1" }"#)
        XCTAssertTokenError(.invalid, try sealer.open(parts.joined(separator: "."), at: now))
        parts[0] = Fixture.base64URL(#"{"kid":"k1","alg":"dir","enc":"XC20P"}"#)
        XCTAssertTokenError(.invalid, try sealer.open(parts.joined(separator: "."), at: now))
    }

    func testClaimsMustBeAJSONObjectWithNumericExp() {
        let h = Fixture.standardHeader
        for claims in [
            #"["exp",1800090000]"#, #""exp""#, "1800090000", "", "null", #"{"sub":"u"}"#, #"{"exp":"1800090000"}"#,
            #"{"exp":null}"#, #"{"exp":true}"#, #"{"exp":[1800090000]}"#, #"{"exp":1800090000,"iat":"now"}"#,
            #"{"exp":1800090000,"nbf":false}"#, #"{"exp":1800090000,"sub":42}"#, #"{"exp":1800090000,"jti":1}"#,
            #"{"exp":1800090000,"aud":[1]}"#, #"{"exp":1800090000,"iss":{}}"#, #"{"exp":1800090000}x"#,
            #"{"exp":1800090000,}"#, #"{"exp":01800090000}"#, #"{"exp":1e999}"#, #"{"exp":1800090000,"exp":1900000000}"#,
            #"{"exp":1800090000,"custom":{"a":1,"a":2}}"#, #"{"exp":1800090000,"x":1,"x":1}"#,
            #"{"exp":1800090000,"\u0065xp":1}"#, "{\"exp\":1800090000,\"s\":\"\u{1}\"}",
        ] {
            XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: h, claims: claims), at: now), claims)
        }
    }

    func testClaimsThatAreNotUTF8() {
        let h = Fixture.standardHeader
        let token = Fixture.forge(header: h, claims: "{\"exp\":1800090000,\"s\":\"\u{FFFD}\"}")
        XCTAssertNoThrow(try sealer.open(token, at: now))
        // Invalid UTF-8 cannot be written through a Swift String; forge the bytes directly.
        let raw: [UInt8] = Array(#"{"exp":1800090000,"s":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: h, claimBytes: raw), at: now))
    }

    func testClaimsNestingIsBounded() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let token = Fixture.forge(header: Fixture.standardHeader, claims: #"{"exp":1800090000,"d":"# + deep + "}")
        XCTAssertTokenError(.invalid, try sealer.open(token, at: now))
        let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        XCTAssertNoThrow(try sealer.open(Fixture.forge(header: Fixture.standardHeader, claims: #"{"exp":1800090000,"d":"# + fine + "}"), at: now))
    }

    func testClaimCountIsBounded() {
        let many = (0..<300).map { "\"c\($0)\":\($0)" }.joined(separator: ",")
        let token = Fixture.forge(header: Fixture.standardHeader, claims: #"{"exp":1800090000,"# + many + "}")
        XCTAssertTokenError(.invalid, try sealer.open(token, at: now))
    }

    func testEveryBitFlipInEverySegmentIsRejected() throws {
        let token = try sealer.seal(subject: "user-42", at: now).token
        XCTAssertEveryBitFlipIsInvalid(token, sealer: sealer, at: now)
    }

    func testErrorsCarryNothingSecret() {
        let error = SessionTokenError.invalid
        XCTAssertEqual("\(error)", "invalid")
        XCTAssertEqual("\(SessionTokenError.expired)", "expired")
        XCTAssertEqual("\(SessionTokenError.notYetValid)", "not yet valid")
    }
}
