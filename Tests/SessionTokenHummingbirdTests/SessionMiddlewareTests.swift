#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// Every rule of the middleware, each test run twice: through Hummingbird's router test client,
/// and against a server listening on a loopback port (real sockets, real HTTP/1.1 parsing and
/// header limits).
final class SessionMiddlewareTests: XCTestCase, @unchecked Sendable {
    let spec = MutableSpec(Fixture.key1)
    let clock = TestClock(Fixture.start)
    /// The configuration the running router uses; its provider is what a reload goes through.
    var configuration: SessionConfiguration?

    func run(
        policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil,
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        for setup in testingSetups {
            spec.value = Fixture.key1
            clock.now = Fixture.start
            let configuration = try makeConfiguration(spec: spec, clock: clock, policy: policy, nextAuth: nextAuth)
            self.configuration = configuration
            let app = Application(router: try makeRouter(configuration: configuration))
            try await app.test(setup, test)
        }
    }

    /// A CSRF token and its cookie, from the form page of a signed-out visitor.
    static func csrf(_ client: any TestClientProtocol, cookies: String = "") async throws -> (token: String, cookie: String) {
        let headers: HTTPFields = cookies.isEmpty ? [:] : [.cookie: cookies]
        return try await client.execute(uri: "/form", method: .get, headers: headers) { response in
            XCTAssertEqual(response.status, .ok)
            let token = String(buffer: response.body)
            let cookie = cookieHeader(from: response.headers.setCookies)
            return (token, cookie.isEmpty ? cookies : [cookies, cookie].filter { !$0.isEmpty }.joined(separator: "; "))
        }
    }

    /// Signs `user` in through the form and returns the session cookie as a browser would send it.
    static func signIn(_ client: any TestClientProtocol, user: String = "user-1") async throws -> String {
        let (token, cookie) = try await csrf(client)
        return try await client.execute(
            uri: "/signin", method: .post,
            headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "user=\(user)&csrfToken=\(token)")
        ) { response in
            XCTAssertEqual(response.status, .seeOther)
            let lines = response.headers.setCookies
            XCTAssertEqual(lines.count, 1, "one session cookie")
            return cookieHeader(from: lines)
        }
    }

    /// A response that sets a session or CSRF cookie must not be stored by a shared cache (the
    /// security review found none of them said so); one that sets none is left alone.
    func testResponsesThatSetCookiesAreNotCacheable() async throws {
        try await run { client in
            try await client.execute(uri: "/public", method: .get) { response in
                XCTAssertNil(response.headers[.cacheControl], "no cookie set: nothing said")
            }
            let (token, cookie) = try await Self.csrf(client)
            try await client.execute(uri: "/form", method: .get) { response in
                XCTAssertEqual(response.headers[.cacheControl], "private, no-store", "the CSRF cookie")
            }
            try await client.execute(
                uri: "/signin", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "user=user-1&csrfToken=\(token)")
            ) { response in
                XCTAssertEqual(response.status, .seeOther)
                XCTAssertEqual(response.headers[.cacheControl], "private, no-store")
                XCTAssertEqual(response.headers[values: .vary].map { $0.lowercased() }, ["cookie"])
            }
        }
    }

    func testSignedOutByDefault() async throws {
        try await run { client in
            try await client.execute(uri: "/public", method: .get) { response in
                XCTAssertEqual(String(buffer: response.body), "signed out")
                XCTAssertEqual(response.headers.setCookies, [], "nothing written for a signed-out visitor")
            }
            try await client.execute(uri: "/account/me", method: .get) { XCTAssertEqual($0.status, .unauthorized) }
        }
    }

    func testSignInSetsThePolicysCookieAndAuthorises() async throws {
        try await run { client in
            let (token, cookie) = try await Self.csrf(client)
            try await client.execute(
                uri: "/signin?callbackUrl=%2Finbox", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "user=ada&csrfToken=\(token)")
            ) { response in
                XCTAssertEqual(response.status, .seeOther)
                XCTAssertEqual(response.headers[.location], "https://app.example.com/inbox")
                let line = try XCTUnwrap(response.headers.setCookies.first)
                XCTAssertTrue(line.hasPrefix("__Host-next-auth.session-token="), line)
                XCTAssertTrue(
                    line.hasSuffix("; Path=/; Expires=Sun, 14 Feb 2027 08:00:00 GMT; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"),
                    line)
                let session = cookieHeader(from: [line])
                try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) { me in
                    XCTAssertEqual(me.status, .ok)
                    XCTAssertEqual(String(buffer: me.body), "ada")
                    XCTAssertEqual(me.headers.setCookies, [], "a fresh token is not re-issued")
                }
            }
        }
    }

    func testAUserTheApplicationNoLongerKnowsIsSignedOut() async throws {
        try await run { client in
            let session = try await Self.signIn(client, user: "deleted-user")
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
        }
    }

    func testTamperedMalformedAndOversizedCookiesLeaveTheRequestSignedOut() async throws {
        try await run { client in
            let session = try await Self.signIn(client)
            let name = CookiePolicy.default.session.name
            var bytes = Array(session.utf8)
            bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let tampered = String(decoding: bytes, as: UTF8.self)
            let headers = [
                tampered,
                "\(name)=", "\(name)=not-a-token", "\(name)=\(String(repeating: "e", count: 5000))",
                "\(session); \(session)",  // the same name twice is ambiguous
                "\(session); \(name).0=abc",  // both the cookie and a chunk
                "\(name).0=abc; \(name).2=def",  // a gap in the chunks
                "%%%; ;;; =; \u{1}", "\(session); " + String(repeating: "a=b; ", count: 13_000),  // 64 KiB
            ]
            for header in headers {
                try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: header]) { response in
                    XCTAssertEqual(response.status, .unauthorized, String(header.prefix(80)))
                    XCTAssertEqual(response.headers.setCookies, [])
                }
                try await client.execute(uri: "/public", method: .get, headers: [.cookie: header]) { response in
                    XCTAssertEqual(String(buffer: response.body), "signed out")
                }
            }
        }
    }

    func testAnExpiredTokenIsSignedOut() async throws {
        try await run { client in
            let session = try await Self.signIn(client)
            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 3600)
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual($0.status, .unauthorized)
                XCTAssertEqual($0.headers.setCookies, [])
            }
        }
    }

    func testATokenOlderThanUpdateAgeIsReissued() async throws {
        try await run { client in
            let session = try await Self.signIn(client)
            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultUpdateAge + 60)
            let replacement = try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers.setCookies.count, 1)
                return cookieHeader(from: response.headers.setCookies)
            }
            XCTAssertNotEqual(replacement, session)
            // The replacement has a sliding expiry: it opens where the first token has expired.
            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 3600)
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: replacement]) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
        }
    }

    func testKeyRotationMidRunSignsNobodyOut() async throws {
        try await run { client in
            let session = try await Self.signIn(client)
            // Rotate: k2 becomes primary, k1 stays accepted. The next request sees it.
            spec.value = "\(Fixture.key2),\(Fixture.key1)"
            try await reloadKeys()
            let replacement = try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                response in
                XCTAssertEqual(response.status, .ok, "a token under the old key still opens")
                XCTAssertEqual(response.headers.setCookies.count, 1, "and is re-sealed under the new primary")
                return cookieHeader(from: response.headers.setCookies)
            }
            let token = String(replacement.split(separator: "=", maxSplits: 1)[1])
            XCTAssertTrue(try Self.header(of: token).contains("\"kid\":\"k2\""))
            // Retire k1: the old token stops opening, the replacement keeps working.
            spec.value = "\(Fixture.key2),k1:retired"
            try await reloadKeys()
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: replacement]) {
                XCTAssertEqual($0.status, .ok)
                XCTAssertEqual($0.headers.setCookies, [])
            }
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
        }
    }

    /// What a SIGHUP handler does in a service.
    private func reloadKeys() async throws {
        try XCTUnwrap(configuration).keys.reload()
    }

    static func header(of token: String) throws -> String {
        let segment = String(token.prefix { $0 != "." })
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return String(decoding: try XCTUnwrap(Data(base64Encoded: base64)), as: UTF8.self)
    }
}
#endif
