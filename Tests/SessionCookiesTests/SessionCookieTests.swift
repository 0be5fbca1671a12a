import Foundation
import SessionCookies
import SessionToken
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// The session cookie: sealed, chunked like next-auth, read back, refreshed, signed out.
final class SessionCookieTests: XCTestCase {
    struct Profile: Codable, Equatable {
        var name: String
        var roles: [String]
    }

    func testShortTokenIsOneCookie() throws {
        let cookie = SessionCookie(sealer: try makeSealer())
        let lines = try cookie.signIn(subject: "user-42", at: fixedNow)
        XCTAssertEqual(lines.count, 1)
        let parsed = ParsedSetCookie(lines[0])
        XCTAssertEqual(parsed.name, "__Host-next-auth.session-token")
        XCTAssertEqual(parsed.attributes["max-age"], "2592000")
        XCTAssertEqual(parsed.attributes["samesite"], "Lax")
        XCTAssertNotNil(parsed.attributes["httponly"])
        XCTAssertNotNil(parsed.attributes["secure"])

        let request = try RequestCookies(header: header(applying(lines, to: [("theme", "dark")])))
        let session = try XCTUnwrap(try cookie.read(request, at: fixedNow))
        XCTAssertEqual(session.session.subject, "user-42")
        XCTAssertNil(session.replacement)
    }

    /// A token over 3933 bytes: chunks NAME.0, NAME.1 written here read back identically here
    /// and by SessionTokenNextAuth's NextAuthCookie (the next-auth reassembly rule).
    func testChunkedCookieReadsBackHereAndByNextAuth() throws {
        let sealer = try makeSealer(maxTokenLength: 16_384)
        let cookie = SessionCookie(sealer: sealer)
        let profile = Profile(name: String(repeating: "Ada ", count: 1700), roles: ["admin", "editor"])
        let token = try sealer.seal(subject: "user-42", custom: profile, at: fixedNow).token
        XCTAssertGreaterThan(token.utf8.count, 2 * 3933)

        let lines = try cookie.setCookieHeaders(for: token, at: fixedNow)
        XCTAssertEqual(lines.map { ParsedSetCookie($0).name },
                       ["__Host-next-auth.session-token.0", "__Host-next-auth.session-token.1",
                        "__Host-next-auth.session-token.2"])
        for line in lines {
            let parsed = ParsedSetCookie(line)
            XCTAssertLessThanOrEqual(parsed.name.utf8.count + parsed.value.utf8.count, 4096)
            XCTAssertEqual(parsed.attributes["max-age"], "2592000")
        }
        // The browser sends them back, in any order, among other cookies.
        var jar = applying(lines, to: [("a", "1")])
        jar.swapAt(1, 3)
        let cookieHeader = header(jar)
        let request = try RequestCookies(header: cookieHeader)
        XCTAssertEqual(try cookie.token(in: request), token)
        let nextAuth = try NextAuthCookie(name: "__Host-next-auth.session-token", chunkSize: 3933)
        XCTAssertEqual(nextAuth.token(fromCookieHeader: cookieHeader), token)
        // And next-auth's own split is the same as this one.
        XCTAssertEqual(nextAuth.chunks(of: token).map(\.name), lines.map { ParsedSetCookie($0).name })
        XCTAssertEqual(nextAuth.chunks(of: token).map(\.value), lines.map { ParsedSetCookie($0).value })

        let opened = try sealer.open(token, decoding: Profile.self, at: fixedNow)
        XCTAssertEqual(opened.custom, profile)
        XCTAssertEqual(try cookie.read(request, at: fixedNow)?.session.subject, "user-42")
    }

    /// Cookies chunked by next-auth's writer read back here too (Auth.js v5 chunk size).
    func testNextAuthChunksReadHere() throws {
        let sealer = try makeSealer(maxTokenLength: 16_384)
        let policy = CookiePolicy.authJSV5()
        let cookie = SessionCookie(sealer: sealer, policy: policy)
        let token = try sealer.seal(subject: "u", custom: Profile(name: String(repeating: "x", count: 5000), roles: []),
                                    at: fixedNow).token
        let nextAuth = try NextAuthCookie(name: policy.session.name, chunkSize: 3936)
        let lines = try nextAuth.setCookieHeaders(for: token, expires: fixedNow, secure: true)
        let request = try RequestCookies(header: header(applying(lines, to: [])))
        XCTAssertEqual(try cookie.token(in: request), token)
    }

    func testStaleChunksAreExpiredWhenTheTokenShrinks() throws {
        let sealer = try makeSealer(maxTokenLength: 16_384)
        let cookie = SessionCookie(sealer: sealer)
        let long = try sealer.seal(subject: "u", custom: Profile(name: String(repeating: "y", count: 6000), roles: []),
                                   at: fixedNow).token
        let jar = applying(try cookie.setCookieHeaders(for: long, at: fixedNow), to: [])
        XCTAssertEqual(jar.count, 3)
        let request = try RequestCookies(header: header(jar))

        let short = try sealer.seal(subject: "u", at: fixedNow).token
        let lines = try cookie.setCookieHeaders(for: short, request: request, at: fixedNow)
        XCTAssertEqual(lines.count, 4, "three expiring chunks, then the new cookie")
        for line in lines.prefix(3) {
            XCTAssertEqual(ParsedSetCookie(line).attributes["max-age"], "0")
            XCTAssertEqual(ParsedSetCookie(line).value, "")
            XCTAssertTrue(line.hasSuffix("; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"), line)
        }
        let after = applying(lines, to: jar)
        XCTAssertEqual(after.map(\.0), ["__Host-next-auth.session-token"])
        XCTAssertEqual(try cookie.token(in: try RequestCookies(header: header(after))), short)

        // Growing again from one cookie to chunks expires the plain name.
        let grown = try cookie.setCookieHeaders(for: long, request: try RequestCookies(header: header(after)), at: fixedNow)
        XCTAssertEqual(ParsedSetCookie(grown[0]).name, "__Host-next-auth.session-token")
        XCTAssertEqual(ParsedSetCookie(grown[0]).attributes["max-age"], "0")
        XCTAssertEqual(try cookie.token(in: try RequestCookies(header: header(applying(grown, to: after)))), long)
    }

    func testSignOutExpiresEveryChunkPresent() throws {
        let sealer = try makeSealer(maxTokenLength: 16_384)
        let cookie = SessionCookie(sealer: sealer)
        let request = try RequestCookies(header:
            "__Host-next-auth.session-token.0=a; x=1; __Host-next-auth.session-token.1=b; __Host-next-auth.session-token.2=c")
        let lines = cookie.signOut(request: request)
        XCTAssertEqual(lines.map { ParsedSetCookie($0).name },
                       ["__Host-next-auth.session-token.0", "__Host-next-auth.session-token.1",
                        "__Host-next-auth.session-token.2"])
        XCTAssertTrue(lines.allSatisfy { ParsedSetCookie($0).attributes["max-age"] == "0" })
        XCTAssertEqual(cookie.signOut(request: .empty),
                       ["__Host-next-auth.session-token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"])
        XCTAssertTrue(applying(lines, to: [("__Host-next-auth.session-token.0", "a"),
                                           ("__Host-next-auth.session-token.1", "b"),
                                           ("__Host-next-auth.session-token.2", "c")]).isEmpty)
    }

    func testAmbiguousOrBrokenChunksAreInvalid() throws {
        let cookie = SessionCookie(sealer: try makeSealer())
        let name = "__Host-next-auth.session-token"
        XCTAssertNil(try cookie.read(try RequestCookies(header: "other=1"), at: fixedNow), "signed out")
        XCTAssertNil(try cookie.token(in: try RequestCookies(header: "\(name).x=1; \(name)x=2; \(name).01=3; \(name).64=4")),
                     "not chunk names")
        for bad in ["\(name)=a; \(name).0=b", "\(name).0=a; \(name).2=c", "\(name).1=b", "\(name)=", "\(name).0=; \(name).1=b",
                    "\(name).0=" + String(repeating: "a", count: 4000) + "; \(name).1=" + String(repeating: "a", count: 200)] {
            XCTAssertThrowsError(try cookie.token(in: try RequestCookies(header: bad)), bad) { error in
                XCTAssertEqual(error as? SessionTokenError, .invalid)
            }
        }
        XCTAssertThrowsError(try cookie.read(try RequestCookies(header: "\(name)=not-a-token"), at: fixedNow)) { error in
            XCTAssertEqual(error as? SessionTokenError, .invalid)
        }
    }

    func testExpiredSessionIsExpired() throws {
        let cookie = SessionCookie(sealer: try makeSealer())
        let lines = try cookie.signIn(subject: "u", at: fixedNow)
        let request = try RequestCookies(header: header(applying(lines, to: [])))
        XCTAssertThrowsError(try cookie.read(request, at: fixedNow.addingTimeInterval(31 * 86_400))) { error in
            XCTAssertEqual(error as? SessionTokenError, .expired)
        }
    }

    func testReadRefreshesAnOldSession() throws {
        let cookie = SessionCookie(sealer: try makeSealer())
        let lines = try cookie.signIn(subject: "user-42", at: fixedNow)
        let request = try RequestCookies(header: header(applying(lines, to: [])))
        let later = fixedNow.addingTimeInterval(2 * 86_400)
        let refreshed = try XCTUnwrap(try cookie.read(request, at: later))
        let replacement = try XCTUnwrap(refreshed.replacement)
        let newLines = try cookie.setCookieHeaders(for: replacement, request: request, at: later)
        XCTAssertEqual(newLines.count, 1)
        let next = try RequestCookies(header: header(applying(newLines, to: [])))
        XCTAssertEqual(try cookie.read(next, at: later)?.session.subject, "user-42")
    }

    func testCookieNeverOutlivesTheToken() throws {
        let key = try SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))
        let sealer = try SessionSealer(keys: KeyRing(primary: key), lifetime: 3600)
        let lines = try SessionCookie(sealer: sealer).signIn(subject: "u", at: fixedNow)
        XCTAssertEqual(ParsedSetCookie(lines[0]).attributes["max-age"], "3600")
        XCTAssertEqual(ParsedSetCookie(lines[0]).attributes["expires"], "Fri, 15 Jan 2027 09:00:00 GMT")
    }

    func testTooManyChunks() throws {
        let sealer = try makeSealer()
        let policy = try CookiePolicy(
            session: CookieDefinition(name: "sid", category: .essential), csrf: CookiePolicy.default.csrf,
            callbackURL: CookiePolicy.default.callbackURL, consent: CookiePolicy.default.consent, sessionChunkSize: 10)
        let cookie = SessionCookie(sealer: sealer, policy: policy)
        XCTAssertCookieError(.tooManyChunks(name: "sid", limit: 64),
                             try cookie.setCookieHeaders(for: String(repeating: "a", count: 641)))
        XCTAssertEqual(try cookie.setCookieHeaders(for: String(repeating: "a", count: 640)).count, 64)
        XCTAssertCookieError(.invalidValue(name: "sid.0"), try cookie.setCookieHeaders(for: "a;b c d e f g h"))
    }
}
