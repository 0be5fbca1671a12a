import Foundation
import SessionCookies
import SessionTokenTestSupport
import XCTest

/// `Set-Cookie` serialization (RFC 6265bis): attributes, validation, prefixes.
final class SetCookieTests: XCTestCase {
    func testWritesEveryAttributeInOrder() throws {
        let cookie = SetCookie(
            name: "id", value: "a3fWa", maxAge: 2_592_000, expires: Date(timeIntervalSince1970: 784_111_777),
            path: "/docs", domain: "example.com", secure: true, httpOnly: true, sameSite: .strict, partitioned: true)
        XCTAssertEqual(
            try cookie.headerValue(),
            "id=a3fWa; Path=/docs; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=2592000; Domain=example.com; Secure; HttpOnly; SameSite=Strict; Partitioned")
    }

    func testMinimalCookie() throws {
        XCTAssertEqual(try SetCookie(name: "a", value: "").headerValue(), "a=")
        XCTAssertEqual(try SetCookie(name: "a", value: "b", sameSite: .lax).headerValue(), "a=b; SameSite=Lax")
        XCTAssertEqual(try SetCookie(name: "a", value: "\"quoted\"").headerValue(), "a=\"quoted\"")
    }

    /// IMF-fixdate vectors: RFC 9110's example, the epoch, a leap day, the year 9999 clamp and
    /// the year 1601 clamp (RFC 6265 treats earlier years as invalid).
    func testExpiresIsTimeText() throws {
        let vectors: [(Double, String)] = [
            (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (1_800_000_000.9, "Fri, 15 Jan 2027 08:00:00 GMT"),
            (1e13, "Fri, 31 Dec 9999 23:59:59 GMT"),
            (-1e12, "Mon, 01 Jan 1601 00:00:00 GMT"),
        ]
        for (time, text) in vectors {
            let line = try SetCookie(name: "a", value: "b", expires: Date(timeIntervalSince1970: time)).headerValue()
            XCTAssertEqual(line, "a=b; Expires=\(text)")
        }
        XCTAssertCookieError(.invalidAttribute(name: "a", attribute: "Expires"),
                             try SetCookie(name: "a", value: "b", expires: Date(timeIntervalSince1970: .infinity)).headerValue())
    }

    func testRejectsBadNames() {
        for name in ["", "a b", "a;b", "a,b", "a=b", "a\tb", "a\u{0}", "ä", "a\"b", "(a)", "a/b", "a:b", "a@b",
                     "a[b]", "a?b", "a{b}", "a\\b", "a\u{7F}", String(repeating: "n", count: 4097)] {
            XCTAssertCookieError(.invalidName, try SetCookie(name: name, value: "v").headerValue(), name.debugDescription)
        }
    }

    func testRejectsBadValues() {
        for value in ["a b", "a;b", "a,b", "a\"b", "a\\b", "é", "a\tb", "a\r\nSet-Cookie: x=1", "\u{0}", "\u{7F}",
                      "\"unbalanced", String(repeating: "v", count: 4096)] {
            XCTAssertCookieError(.invalidValue(name: "n"), try SetCookie(name: "n", value: value).headerValue(),
                                 value.debugDescription)
        }
        XCTAssertNoThrow(try SetCookie(name: "n", value: String(repeating: "v", count: 4095)).headerValue())
    }

    func testEncodedValuesAreAccepted() throws {
        for raw in ["a b;c,d\"e\\f", "ünïcødé", "token|hash", "https://a.example/b?c=d#e", "\r\n", ""] {
            let encoded = CookieValueCoding.encode(raw)
            XCTAssertNoThrow(try SetCookie(name: "n", value: encoded).headerValue(), raw)
            XCTAssertEqual(CookieValueCoding.decode(encoded), raw)
        }
        XCTAssertEqual(CookieValueCoding.encode("abc|def"), "abc%7Cdef")
        XCTAssertEqual(CookieValueCoding.encode("https://a/b"), "https%3A%2F%2Fa%2Fb")
        XCTAssertEqual(CookieValueCoding.encode("A-z_0.9!~*'()"), "A-z_0.9!~*'()")
        XCTAssertNil(CookieValueCoding.decode("%"))
        XCTAssertNil(CookieValueCoding.decode("%7"))
        XCTAssertNil(CookieValueCoding.decode("%zz"))
        XCTAssertNil(CookieValueCoding.decode("%FF"), "not UTF-8")
        XCTAssertEqual(CookieValueCoding.decode("%7c%7C"), "||")
    }

    func testRejectsBadAttributes() {
        let bad: [(SetCookie, String)] = [
            (SetCookie(name: "n", value: "v", path: "docs"), "Path"),
            (SetCookie(name: "n", value: "v", path: ""), "Path"),
            (SetCookie(name: "n", value: "v", path: "/a;b"), "Path"),
            (SetCookie(name: "n", value: "v", path: "/a\nb"), "Path"),
            (SetCookie(name: "n", value: "v", path: "/" + String(repeating: "p", count: 1024)), "Path"),
            (SetCookie(name: "n", value: "v", domain: ""), "Domain"),
            (SetCookie(name: "n", value: "v", domain: "exa mple.com"), "Domain"),
            (SetCookie(name: "n", value: "v", domain: "example.com;x"), "Domain"),
            (SetCookie(name: "n", value: "v", domain: "example..com"), "Domain"),
            (SetCookie(name: "n", value: "v", domain: "-example.com"), "Domain"),
            (SetCookie(name: "n", value: "v", domain: "exämple.com"), "Domain"),
            (SetCookie(name: "n", value: "v", maxAge: -1), "Max-Age"),
            (SetCookie(name: "n", value: "v", partitioned: true), "Partitioned (requires Secure)"),
        ]
        for (cookie, attribute) in bad {
            XCTAssertCookieError(.invalidAttribute(name: "n", attribute: attribute), try cookie.headerValue(),
                                 "\(cookie)")
        }
        XCTAssertNoThrow(try SetCookie(name: "n", value: "v", domain: ".Example.com").headerValue())
        XCTAssertNoThrow(try SetCookie(name: "n", value: "v", maxAge: 0).headerValue())
    }

    func testSameSiteNoneRequiresSecure() throws {
        XCTAssertCookieError(.sameSiteNoneRequiresSecure(name: "n"),
                             try SetCookie(name: "n", value: "v", sameSite: SameSite.none).headerValue())
        XCTAssertEqual(try SetCookie(name: "n", value: "v", secure: true, sameSite: SameSite.none).headerValue(),
                       "n=v; Secure; SameSite=None")
        XCTAssertEqual(try SetCookie(name: "n", value: "v", sameSite: .strict).headerValue(), "n=v; SameSite=Strict")
    }

    func testSecurePrefix() throws {
        XCTAssertCookieError(.prefixViolation(name: "__Secure-a", rule: "a __Secure- cookie requires Secure"),
                             try SetCookie(name: "__Secure-a", value: "v").headerValue())
        XCTAssertCookieError(.prefixViolation(name: "__secure-a", rule: "a __Secure- cookie requires Secure"),
                             try SetCookie(name: "__secure-a", value: "v").headerValue(), "case-insensitive")
        XCTAssertNoThrow(try SetCookie(name: "__Secure-a", value: "v", path: "/x", domain: "example.com", secure: true)
            .headerValue())
    }

    func testHostPrefix() throws {
        XCTAssertCookieError(.prefixViolation(name: "__Host-a", rule: "a __Host- cookie requires Secure"),
                             try SetCookie(name: "__Host-a", value: "v", path: "/").headerValue())
        XCTAssertCookieError(.prefixViolation(name: "__Host-a", rule: "a __Host- cookie requires Path=/"),
                             try SetCookie(name: "__Host-a", value: "v", secure: true).headerValue())
        XCTAssertCookieError(.prefixViolation(name: "__Host-a", rule: "a __Host- cookie requires Path=/"),
                             try SetCookie(name: "__Host-a", value: "v", path: "/x", secure: true).headerValue())
        XCTAssertCookieError(.prefixViolation(name: "__HOST-a", rule: "a __Host- cookie must not set Domain"),
                             try SetCookie(name: "__HOST-a", value: "v", path: "/", domain: "example.com", secure: true)
                                .headerValue())
        XCTAssertEqual(try SetCookie(name: "__Host-a", value: "v", path: "/", secure: true).headerValue(),
                       "__Host-a=v; Path=/; Secure")
    }

    func testErrorsNeverShowTheValue() {
        let secret = "s3cr3t value;"
        do {
            _ = try SetCookie(name: "sid", value: secret).headerValue()
            XCTFail("accepted")
        } catch {
            XCTAssertFalse("\(error)".contains("s3cr3t"))
            XCTAssertFalse(String(reflecting: error).contains("s3cr3t"))
        }
    }
}
