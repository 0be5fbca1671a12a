import Foundation
import SessionCookies
import SessionToken
import XCTest

@testable import SessionTokenNextAuth
import SessionTokenInternals

/// Reassembling and splitting the session cookie as next-auth chunks it.
final class CookieTests: XCTestCase {
    func testDefaultNamesAndChunkSizes() throws {
        XCTAssertEqual(try NextAuthCookie(format: .v4, secure: false).name, "next-auth.session-token")
        XCTAssertEqual(try NextAuthCookie(format: .v4, secure: true).name, "__Secure-next-auth.session-token")
        XCTAssertEqual(try NextAuthCookie(format: .v5(secure: false), secure: false).name, "authjs.session-token")
        XCTAssertEqual(try NextAuthCookie(format: .v5(secure: true), secure: true).name, "__Secure-authjs.session-token")
        XCTAssertEqual(try NextAuthCookie(format: .v4, secure: true).chunkSize, 3933)
        XCTAssertEqual(try NextAuthCookie(format: .v5(secure: true), secure: true).chunkSize, 3936)
        XCTAssertThrowsError(try NextAuthCookie(name: "a b", chunkSize: 10))
        XCTAssertThrowsError(try NextAuthCookie(name: "ok", chunkSize: 0))
    }

    func testReadsALoneCookieAmongOthers() throws {
        let cookie = try NextAuthCookie(format: .v5(secure: true), secure: true)
        let header = "theme=dark; __Secure-authjs.session-token=abc.def; authjs.session-token=other; __Secure-authjs.callback-url=x"
        XCTAssertEqual(cookie.token(fromCookieHeader: header), "abc.def")
        XCTAssertEqual(cookie.token(fromCookieHeader: "  __Secure-authjs.session-token = \"q.r\" ;x=1"), "q.r")
        XCTAssertNil(cookie.token(fromCookieHeader: "authjs.session-token=abc"), "the http name is another cookie")
        XCTAssertNil(cookie.token(fromCookieHeader: ""))
        XCTAssertNil(cookie.token(fromCookieHeader: "__Secure-authjs.session-token="))
    }

    func testReassemblesChunksInNumericOrder() throws {
        let cookie = try NextAuthCookie(format: .v4, secure: false)
        let name = "next-auth.session-token"
        let parts = (0..<12).map { "part\($0)-" }
        // Sent out of order, 10 and 11 among them: numeric order, not text order.
        let header = ([11, 2, 0, 10, 1, 3, 4, 5, 6, 7, 8, 9].map { "\(name).\($0)=\(parts[$0])" } + ["other=1"])
            .joined(separator: "; ")
        XCTAssertEqual(cookie.token(fromCookieHeader: header), parts.joined())
    }

    func testAmbiguousOrOversizedHeadersReadAsNoSession() throws {
        let cookie = try NextAuthCookie(format: .v4, secure: false)
        let n = "next-auth.session-token"
        for header in [
            "\(n)=a; \(n)=b",                      // the same name twice
            "\(n)=a; \(n).0=b",                    // whole and chunked
            "\(n).0=a; \(n).0=b",                  // a chunk twice
            "\(n).0=a; \(n).2=c",                  // a gap
            "\(n).1=a",                            // no chunk 0
            "\(n).0=a; \(n).1=",                   // an empty chunk
        ] {
            XCTAssertNil(cookie.token(fromCookieHeader: header), header)
        }
        // Names that only look like chunks are other cookies.
        XCTAssertEqual(cookie.token(fromCookieHeader: "\(n)=a; \(n).01=b; \(n).x=c; \(n)-x=d; \(n).999=e"), "a")
        // Bounds: the joined length, and the header itself.
        XCTAssertNil(cookie.token(fromCookieHeader: "\(n).0=\(String(repeating: "a", count: 3000)); \(n).1=\(String(repeating: "b", count: 3000))", maxLength: 5000))
        XCTAssertNil(cookie.token(fromCookieHeader: "\(n)=a; " + String(repeating: "x", count: 70_000)))
        XCTAssertNil(cookie.token(fromCookieHeader: String(repeating: "k=v;", count: 600) + "\(n)=a"))
    }

    func testArbitraryHeadersNeverCrash() throws {
        let cookie = try NextAuthCookie(format: .v5(secure: false), secure: false)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("authjs.session-token=;. \t\"0123456789abc\u{0}é".unicodeScalars)
        for _ in 0..<2000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<80, using: &generator) {
                text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            _ = cookie.token(fromCookieHeader: String(text))
            let request = (try? RequestCookies(header: String(text))) ?? .empty
            _ = try? cookie.setCookieHeaders(for: String(text), expires: fixedNow, secure: false, request: request)
        }
    }

    func testSplitsLongTokensAtNextAuthsSizes() throws {
        let v4 = try NextAuthCookie(format: .v4, secure: false)
        let short = String(repeating: "a", count: 3933)
        XCTAssertEqual(v4.chunks(of: short).map(\.name), ["next-auth.session-token"])
        let long = (0..<(3933 * 2 + 5)).map { _ in "x" }.joined()
        let chunks = v4.chunks(of: long)
        XCTAssertEqual(chunks.map(\.name), ["next-auth.session-token.0", "next-auth.session-token.1", "next-auth.session-token.2"])
        XCTAssertEqual(chunks.map(\.value.count), [3933, 3933, 5])
        let v5 = try NextAuthCookie(format: .v5(secure: true), secure: true)
        XCTAssertEqual(v5.chunks(of: String(repeating: "b", count: 3937)).map(\.value.count), [3936, 1])
        XCTAssertTrue(v5.chunks(of: String(repeating: "c", count: 3936 * 64 + 1)).isEmpty, "beyond maxChunks")
    }

    func testRoundTripThroughSetCookieAndCookieHeaders() throws {
        let codec = try NextAuthCodec(secrets: ["s"], format: .v5(secure: true))
        let cookie = try NextAuthCookie(format: codec.format, secure: true)
        let token = try codec.encode(["sub": "u", "blob": String(repeating: "z", count: 6000)], at: fixedNow)
        let lines = try cookie.setCookieHeaders(for: token, expires: fixedNow.addingTimeInterval(2_592_000), secure: true)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("__Secure-authjs.session-token.0="))
        XCTAssertTrue(lines[0].hasSuffix("; Path=/; Expires=Sun, 14 Feb 2027 08:00:00 GMT; Secure; HttpOnly; SameSite=Lax"), lines[0])
        // What a browser sends back: name=value of each.
        let header = lines.map { String($0.prefix { $0 != ";" }) }.reversed().joined(separator: "; ")
        let reassembled = try XCTUnwrap(cookie.token(fromCookieHeader: header))
        XCTAssertEqual(reassembled, token)
        XCTAssertEqual(try codec.decode(reassembled, at: fixedNow).subject, "u")
    }

    func testExpiresChunksTheNewTokenNoLongerNeeds() throws {
        let cookie = try NextAuthCookie(format: .v4, secure: false)
        let n = "next-auth.session-token"
        let request = try RequestCookies(header: "\(n).0=a; other=1; \(n).1=b; \(n).2=c")
        // The new token is short: one plain cookie, and every carried chunk expires first.
        let lines = try cookie.setCookieHeaders(for: "short.token", expires: Date(timeIntervalSince1970: 0), secure: false,
                                                request: request)
        XCTAssertEqual(lines, [
            "\(n).0=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
            "\(n).1=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
            "\(n).2=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
            "\(n)=short.token; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
        ])
        // The new token needs two chunks: only .2 expires; .0 and .1 are overwritten.
        let withOld = try RequestCookies(header: request.headerValue + "; \(n)=old")
        let two = try cookie.setCookieHeaders(for: String(repeating: "t", count: 5000), expires: fixedNow, secure: true,
                                              request: withOld)
        XCTAssertEqual(two.count, 4)
        XCTAssertEqual(two[0], "\(n).2=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax")
        XCTAssertEqual(two[1], "\(n)=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax")
        XCTAssertTrue(two[2].hasPrefix("\(n).0=ttt"))
        XCTAssertTrue(two[3].hasPrefix("\(n).1=ttt"))
        // Signing out.
        XCTAssertEqual(cookie.expiringSetCookieHeaders(secure: false, request: try RequestCookies(header: "x=1")),
                       ["\(n)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"])
        XCTAssertEqual(cookie.expiringSetCookieHeaders(secure: false, request: request).count, 3)
    }

    func testRefusesToWriteATokenThatWouldBreakTheHeader() throws {
        let cookie = try NextAuthCookie(format: .v4, secure: false)
        // A `;` would start an attribute of the attacker's choosing; CR or LF a new header.
        for token in ["a;Domain=evil.example", "a\r\nSet-Cookie: x=1", "a\nb", "a b", "a\"b", "a,b", "é"] {
            XCTAssertThrowsError(try cookie.setCookieHeaders(for: token, expires: fixedNow, secure: false), token) { error in
                XCTAssertEqual(error as? CookieError, .invalidValue(name: "next-auth.session-token"), token)
            }
        }
        // A long token with a bad byte in a later chunk is refused whole: no partial lines.
        let long = String(repeating: "a", count: 5000) + ";"
        XCTAssertThrowsError(try cookie.setCookieHeaders(for: long, expires: fixedNow, secure: false))
        XCTAssertThrowsError(try cookie.setCookieHeaders(for: String(repeating: "c", count: 3933 * 64 + 1), expires: fixedNow,
                                                         secure: false)) { error in
            XCTAssertEqual(error as? CookieError, .tooManyChunks(name: "next-auth.session-token", limit: 64))
        }
    }

    func testNamesCompareAsBytesNotAsUnicode() throws {
        // "K" (U+212A KELVIN SIGN) and "K" are equal as Swift Strings after normalization but are
        // two cookies to a browser; the lookalike must neither be read nor shadow the real one.
        let cookie = try NextAuthCookie(name: "Kname", chunkSize: 100)
        XCTAssertThrowsError(try NextAuthCookie(name: "\u{212A}name", chunkSize: 100), "not a token character")
        XCTAssertNil(cookie.token(fromCookieHeader: "\u{212A}name=evil"))
        XCTAssertEqual(cookie.token(fromCookieHeader: "\u{212A}name=evil; Kname=good"), "good")
        XCTAssertEqual(cookie.token(fromCookieHeader: "Kname.0=go; \u{212A}name.1=evil; Kname.1=od"), "good")
    }

    func testHTTPDates() {
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: 784_111_777)), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: 951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT")
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: 4_102_444_799)), "Thu, 31 Dec 2099 23:59:59 GMT")
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: -1)), "Wed, 31 Dec 1969 23:59:59 GMT")
        // Foundation's formatter agrees on dates from 1601 to 9999, and the clamped ends.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -11_644_473_600...253_402_300_799, using: &generator)))
            XCTAssertEqual(TimeText.imfFixdate(date), formatter.string(from: date))
        }
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: 1e15)), "Fri, 31 Dec 9999 23:59:59 GMT")
        XCTAssertEqual(TimeText.imfFixdate(Date(timeIntervalSince1970: -1e15)), "Mon, 01 Jan 1601 00:00:00 GMT")
    }
}
