#if Vapor
import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenVapor
import SessionTokenTestSupport
import XCTVapor
import SessionTokenRevocation

/// Every rule of the middleware, the authenticator, CSRF and the callback helper through
/// Vapor's own test client (XCTVapor, in memory). `LiveVaporTests` drives a real server.
final class VaporSessionTests: XCTestCase, @unchecked Sendable {
    let spec = MutableSpec(Fixture.key1)
    let clock = TestClock(Fixture.start)
    var app: Application!
    var configuration: SessionConfiguration!

    override func setUp() async throws {
        app = try await Application.make(.testing)
        configuration = try makeConfiguration(spec: spec, clock: clock)
        try configure(app, configuration: configuration)
    }

    override func tearDown() async throws {
        try await app.asyncShutdown()
    }

    /// A CSRF token and the cookies to send with it.
    func csrf(cookies: String = "") async throws -> (token: String, cookie: String) {
        var result = ("", "")
        try await app.test(.GET, "form", headers: cookies.isEmpty ? [:] : ["Cookie": cookies]) { res async in
            XCTAssertEqual(res.status, .ok)
            let fresh = cookieHeader(from: res.headers.setCookies)
            result = (res.body.string, [cookies, fresh].filter { !$0.isEmpty }.joined(separator: "; "))
        }
        return result
    }

    func signIn(user: String = "user-1") async throws -> String {
        let (token, cookie) = try await csrf()
        var session = ""
        try await app.test(
            .POST, "signin", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "user=\(user)&csrfToken=\(token)")
        ) { res async in
            XCTAssertEqual(res.status, .seeOther)
            XCTAssertEqual(res.headers.setCookies.count, 1)
            session = cookieHeader(from: res.headers.setCookies)
        }
        return session
    }

    func status(_ path: String, cookie: String? = nil) async throws -> (HTTPStatus, String, [String]) {
        var result: (HTTPStatus, String, [String]) = (.ok, "", [])
        try await app.test(.GET, path, headers: cookie.map { ["Cookie": $0] } ?? [:]) { res async in
            result = (res.status, res.body.string, res.headers.setCookies)
        }
        return result
    }

    func testSignedOutGuardAndRedirect() async throws {
        let (publicStatus, body, lines) = try await status("public")
        XCTAssertEqual(publicStatus, .ok)
        XCTAssertEqual(body, "signed out")
        XCTAssertEqual(lines, [])
        let guarded = try await status("account/me")
        XCTAssertEqual(guarded.0, .unauthorized)
        try await app.test(.GET, "account/page") { res async in
            XCTAssertEqual(res.status, .seeOther)
            XCTAssertEqual(res.headers.first(name: .location), "/signin")
        }
    }

    func testSignInSetsThePolicysCookieAndLogsTheUserIn() async throws {
        let (token, cookie) = try await csrf()
        try await app.test(
            .POST, "signin?callbackUrl=%2Finbox", headers: ["Cookie": cookie, "X-CSRF-Token": token]
        ) { res async throws in
            XCTAssertEqual(res.status, .seeOther)
            XCTAssertEqual(res.headers.first(name: .location), "https://app.example.com/inbox")
            let line = try XCTUnwrap(res.headers.setCookies.first)
            XCTAssertTrue(line.hasPrefix("__Host-next-auth.session-token="), line)
            XCTAssertTrue(
                line.hasSuffix("; Path=/; Expires=Sun, 14 Feb 2027 08:00:00 GMT; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"),
                line)
        }
        let session = try await signIn(user: "ada")
        let me = try await status("account/me", cookie: session)
        XCTAssertEqual(me.0, .ok)
        XCTAssertEqual(me.1, "ada")
        XCTAssertEqual(me.2, [], "a fresh token is not re-issued")
        let page = try await status("account/page", cookie: session)
        XCTAssertEqual(page.1, "ada")
        let deleted = try await signIn(user: "deleted-user")
        let deletedStatus = try await status("account/me", cookie: deleted)
        XCTAssertEqual(deletedStatus.0, .unauthorized)
    }

    func testBadCookiesLeaveTheRequestSignedOutNeverA500() async throws {
        let session = try await signIn()
        let name = CookiePolicy.default.session.name
        let tampered = String(session.dropLast(2)) + (session.hasSuffix("AA") ? "BB" : "AA")
        for header in [
            tampered, "\(name)=", "\(name)=not-a-token", "\(session); \(session)", "\(session); \(name).0=abc",
            "\(name).0=abc; \(name).2=def", "%%%; ;;; =", "\(session); " + String(repeating: "a=b; ", count: 13_000),
        ] {
            let (code, _, lines) = try await status("account/me", cookie: header)
            XCTAssertEqual(code, .unauthorized, String(header.prefix(60)))
            XCTAssertEqual(lines, [])
        }
    }

    func testExpiryReissueAndRotationMidRun() async throws {
        let session = try await signIn()
        clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultUpdateAge + 60)
        let reissued = try await status("account/me", cookie: session)
        XCTAssertEqual(reissued.0, .ok)
        XCTAssertEqual(reissued.2.count, 1, "older than updateAge: re-issued")
        let replacement = cookieHeader(from: reissued.2)
        clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 3600)
        let expired = try await status("account/me", cookie: session)
        XCTAssertEqual(expired.0, .unauthorized, "expired")
        let sliding = try await status("account/me", cookie: replacement)
        XCTAssertEqual(sliding.0, .ok, "sliding expiry")

        // Rotation: k2 primary, k1 accepted; then k1 retired.
        clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 3600)
        spec.value = "\(Fixture.key2),\(Fixture.key1)"
        try configuration.keys.reload()
        let rotated = try await status("account/me", cookie: replacement)
        XCTAssertEqual(rotated.0, .ok)
        XCTAssertEqual(rotated.2.count, 1, "re-sealed under the new primary")
        let underK2 = cookieHeader(from: rotated.2)
        spec.value = "\(Fixture.key2),k1:retired"
        try configuration.keys.reload()
        let retired = try await status("account/me", cookie: replacement)
        XCTAssertEqual(retired.0, .unauthorized)
        let fresh = try await status("account/me", cookie: underK2)
        XCTAssertEqual(fresh.0, .ok)
        XCTAssertEqual(fresh.2, [])
    }

    func testCSRFIsCheckedOnUnsafeMethods() async throws {
        let (token, cookie) = try await csrf()
        let (other, otherCookie) = try await csrf()
        let refused: [(String?, String, String?)] = [
            (nil, "user=a", nil), (cookie, "user=a", nil), (nil, "csrfToken=\(token)", nil),
            (cookie, "csrfToken=\(other)", nil), (otherCookie, "csrfToken=\(token)", nil),
            (cookie, "csrfToken=\(token)&csrfToken=\(token)", nil), (cookie, "", "\(token)0"),
        ]
        for (index, (cookieValue, body, header)) in refused.enumerated() {
            var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            if let cookieValue { headers.add(name: "Cookie", value: cookieValue) }
            if let header { headers.add(name: "X-CSRF-Token", value: header) }
            try await app.test(.POST, "signin", headers: headers, body: ByteBuffer(string: body)) { res async in
                XCTAssertEqual(res.status, .forbidden, "attempt \(index)")
                XCTAssertEqual(res.headers.setCookies, [])
            }
        }
        for method in [HTTPMethod.PUT, .DELETE, .PATCH] {
            try await app.test(method, "signout", headers: ["Cookie": cookie]) { res async in
                XCTAssertEqual(res.status, .forbidden)
            }
        }
        // The form field, read before the route, which still decodes the form.
        try await app.test(
            .POST, "signin", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "csrfToken=\(token)&user=grace")
        ) { res async in
            XCTAssertEqual(res.status, .seeOther)
            let me = try? await self.status("account/me", cookie: cookieHeader(from: res.headers.setCookies))
            XCTAssertEqual(me?.1, "grace")
        }
    }

    func testSignOutExpiresEveryChunk() async throws {
        let (token, cookie) = try await csrf()
        var lines: [String] = []
        try await app.test(.POST, "signin-large", headers: ["Cookie": cookie, "X-CSRF-Token": token]) { res async in
            lines = res.headers.setCookies
        }
        XCTAssertEqual(lines.map { String($0.prefix { $0 != "=" }) }, (0..<3).map { "__Host-next-auth.session-token.\($0)" })
        let session = cookieHeader(from: lines)
        let joined = try await status("account/me", cookie: session)
        XCTAssertEqual(joined.1, "user-1")
        let (signedIn, cookies) = try await csrf(cookies: session)
        try await app.test(.POST, "signout", headers: ["Cookie": cookies, "X-CSRF-Token": signedIn]) { res async in
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.headers.setCookies, (0..<3).map {
                "__Host-next-auth.session-token.\($0)=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
            })
        }
    }

    /// Sign-outs that revoke: a copy of the cookie is refused afterwards, the user's other
    /// device only after "sign out everywhere".
    func testSignOutRevokesThisDeviceAndSignOutEverywhereTheUser() async throws {
        try await app.asyncShutdown()
        app = try await Application.make(.testing)
        let keys = try KeyRingProvider(source: .custom { self.spec.value })
        let clock = self.clock
        let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
        configuration = try makeConfiguration(spec: spec, clock: clock, revocations: revocations)
        try configure(app, configuration: configuration)

        let laptop = try await signIn(), phone = try await signIn(), other = try await signIn(user: "user-2")
        clock.now = Fixture.start.addingTimeInterval(1)
        func post(_ path: String, _ session: String) async throws {
            let (token, cookies) = try await csrf(cookies: session)
            try await app.test(.POST, path, headers: ["Cookie": cookies, "X-CSRF-Token": token]) { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.headers.setCookies.contains { $0.contains("Max-Age=0") })
            }
        }
        try await post("signout-device", laptop)
        let afterDevice = (try await status("account/me", cookie: laptop).0, try await status("account/me", cookie: phone).0)
        XCTAssertEqual(afterDevice.0, .unauthorized, "the signed-out cookie, replayed, is refused")
        XCTAssertEqual(afterDevice.1, .ok)
        try await post("signout-everywhere", phone)
        let afterEverywhere = (try await status("account/me", cookie: phone).0, try await status("account/me", cookie: other).0)
        XCTAssertEqual(afterEverywhere.0, .unauthorized)
        XCTAssertEqual(afterEverywhere.1, .ok, "another user stays signed in")
    }

    func testCallbackURLsNeverRedirectOffSite() async throws {
        let (token, cookie) = try await csrf()
        let cases: [(String, String)] = [
            ("%2Finbox%3Fx%3D1", "https://app.example.com/inbox?x=1"),
            ("https%3A%2F%2Fapp.example.com%2Fa", "https://app.example.com/a"),
            ("%2F%2Fevil.example%2F", "https://app.example.com"),
            ("https%3A%2F%2Fevil.example%2F", "https://app.example.com"),
            ("%5C%5Cevil.example", "https://app.example.com"),
            ("javascript%3Aalert(1)", "https://app.example.com"),
            ("https%3A%2F%2Fapp.example.com%40evil.example", "https://app.example.com"),
            ("%2F%0D%0ASet-Cookie%3A%20x%3D1", "https://app.example.com"),
            ("https%3A%2F%2Fapp.example.com.evil.example", "https://app.example.com"),
        ]
        for (payload, expected) in cases {
            try await app.test(.POST, "signin?callbackUrl=\(payload)", headers: ["Cookie": cookie, "X-CSRF-Token": token]) {
                res async in XCTAssertEqual(res.headers.first(name: .location), expected, payload)
            }
        }
    }
}
#endif
