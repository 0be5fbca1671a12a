import Foundation
import SessionCookies
import SessionToken
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// CSRF double-submit tokens: next-auth's format and OWASP's signed variant, against vectors
/// computed with Python's hashlib and hmac (Tests/Vectors/cookies/generate_csrf.py).
final class CSRFTests: XCTestCase {
    struct Vectors: Decodable {
        struct NextAuthCase: Decodable {
            var comment: String
            var secret: String
            var cookie: String
            var submitted: String?
            var expect: String
        }
        struct SignedCase: Decodable {
            var comment: String
            var key: String
            var sessionID: String
            var cookie: String
            var submitted: String?
            var expect: String
        }
        var nextauth: [NextAuthCase]
        var signed: [SignedCase]
    }

    static func vectors() throws -> Vectors {
        let data = try VectorFiles.data("cookies/csrf-vectors.json")
        return try JSONDecoder().decode(Vectors.self, from: data)
    }

    static let expectations: Set<String> = ["success", "token mismatch", "hash mismatch", "hmac mismatch", "malformed"]

    func testNextAuthVectors() throws {
        let cases = try Self.vectors().nextauth
        XCTAssertGreaterThanOrEqual(cases.filter { $0.expect != "success" }.count, cases.filter { $0.expect == "success" }.count)
        for c in cases {
            XCTAssertTrue(Self.expectations.contains(c.expect))
            let csrf = try NextAuthCSRF(secret: c.secret)
            let verified = csrf.verify(cookieValue: c.cookie, submitted: c.submitted)
            XCTAssertEqual(verified, c.expect == "success", "\(c.comment): \(c.expect)")
            // The cookie alone: intact unless the hash is wrong or it is malformed.
            let intact = csrf.token(fromCookieValue: c.cookie) != nil
            XCTAssertEqual(intact, c.expect == "success" || c.expect == "token mismatch", c.comment)
            if c.expect == "success", let token = c.submitted {
                // The value computed here equals Python's, byte for byte.
                XCTAssertEqual(csrf.cookieValue(for: token), CookieValueCoding.decode(c.cookie), c.comment)
            }
        }
    }

    func testSignedVectors() throws {
        let cases = try Self.vectors().signed
        XCTAssertGreaterThanOrEqual(cases.filter { $0.expect != "success" }.count, cases.filter { $0.expect == "success" }.count)
        for c in cases {
            XCTAssertTrue(Self.expectations.contains(c.expect))
            let key = try SessionKey(id: "csrf", bytes: hexBytes(c.key))
            let csrf = SignedCSRF(key: key)
            XCTAssertEqual(csrf.verify(cookieValue: c.cookie, submitted: c.submitted, sessionID: c.sessionID),
                           c.expect == "success", "\(c.comment) [\(c.sessionID)]: \(c.expect)")
        }
    }

    /// FIPS 180-2 SHA-256 vectors ("abc" and the 448-bit message) through the next-auth hash,
    /// the message split into token and secret: the hash is SHA-256 of `token + secret`.
    func testNextAuthHashIsSHA256OfTokenPlusSecret() throws {
        // SHA-256("abc") = ba7816bf...; token "ab", secret "c" must give it.
        let csrf = try NextAuthCSRF(secret: "c")
        XCTAssertEqual(csrf.cookieValue(for: "ab"),
                       "ab|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = try NextAuthCSRF(secret: "nopq")
        XCTAssertEqual(long.cookieValue(for: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"),
                       "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop|248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testNextAuthRoundTripAndWireFormat() throws {
        let csrf = try NextAuthCSRF(secret: "NEXTAUTH_SECRET value")
        let token = csrf.makeToken()
        XCTAssertEqual(token.count, 64)
        XCTAssertTrue(token.allSatisfy { "0123456789abcdef".contains($0) })
        XCTAssertNotEqual(token, csrf.makeToken(), "fresh randomness each time")
        let value = csrf.cookieValue(for: token)
        let line = try CookieWriter(policy: .default, consent: .essentialOnly).setCookie(CookiePolicy.default.csrf, value: value)
        XCTAssertTrue(line.hasPrefix("__Host-next-auth.csrf-token=\(token)%7C"), line)
        XCTAssertEqual(line.components(separatedBy: "; ").dropFirst(), ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"])
        // What the browser sends back verifies, as sent or decoded.
        let sent = try RequestCookies(header: String(line.prefix { $0 != ";" }))
        XCTAssertTrue(csrf.verify(cookieValue: sent[CookiePolicy.default.csrf.name], submitted: token))
        XCTAssertEqual(csrf.token(fromCookieValue: value), token)
        XCTAssertFalse(csrf.verify(cookieValue: value, submitted: nil))
        XCTAssertFalse(csrf.verify(cookieValue: nil, submitted: token))
        XCTAssertFalse(try NextAuthCSRF(secret: "another").verify(cookieValue: value, submitted: token))
        XCTAssertCookieError(.configuration("the CSRF secret must not be empty"), try NextAuthCSRF(secret: ""))
        XCTAssertFalse("\(csrf)".contains("NEXTAUTH_SECRET"))
    }

    func testSignedRoundTripIsBoundToTheSession() throws {
        let key = try SessionKey.derive(fromSecret: String(repeating: "m", count: 40), purpose: "csrf")
        let csrf = SignedCSRF(key: key)
        let token = csrf.makeToken(sessionID: "user-42:1800000000")
        XCTAssertEqual(token.count, 129)
        XCTAssertTrue(csrf.verify(cookieValue: token, submitted: token, sessionID: "user-42:1800000000"))
        XCTAssertFalse(csrf.verify(cookieValue: token, submitted: token, sessionID: "user-43:1800000000"))
        XCTAssertFalse(csrf.verify(cookieValue: token, submitted: csrf.makeToken(sessionID: "user-42:1800000000"),
                                   sessionID: "user-42:1800000000"))
        XCTAssertFalse(csrf.verify(cookieValue: nil, submitted: token, sessionID: "user-42:1800000000"))
        // An attacker's own valid token (another session) planted as the victim's cookie fails.
        let planted = csrf.makeToken(sessionID: "attacker")
        XCTAssertFalse(csrf.verify(cookieValue: planted, submitted: planted, sessionID: "user-42:1800000000"))
        XCTAssertFalse("\(csrf)".contains(key.exportBase64URL()), "\(csrf)")
    }
}
