#if Vapor
import DeviceBoundTestSupport
import Foundation
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenRevocation
import SessionTokenTestSupport
import SessionTokenVapor
import XCTVapor
import XCTest

/// The device-bound rules through Vapor's test client: the offer at sign-in, registration and
/// refresh at the endpoints `deviceBoundEndpoints(_:)` registers (before the CSRF check), the
/// bearer cookie retired, a copied cookie refused after its lifetime, a thief's key refused,
/// sign-out's Clear-Site-Data.
final class DeviceBoundVaporTests: XCTestCase {
    func testRegistrationRefreshAndSignOutThroughVapor() async throws {
        let app = try await Application.make(.testing)
        do {
            try await run(app)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    private func run(_ app: Application) async throws {
        let spec = MutableSpec(Fixture.key1)
        let clock = TestClock(Fixture.start)
        let keys = try KeyRingProvider(source: .custom { spec.value })
        let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
        try await revocations.start()
        let binding = try DeviceBinding.deviceBound(origin: "https://localhost:8443", cookieLifetime: 300)
        try configure(
            app, configuration: try makeConfiguration(spec: spec, clock: clock, revocations: revocations, deviceBinding: binding))
        var browser = try SoftwareBrowser()

        func post(_ path: String, _ headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, HTTPHeaders, String) {
            var fields = headers
            if let cookie = browser.cookieHeader(path: path) { fields.add(name: "Cookie", value: cookie) }
            var result: (HTTPStatus, HTTPHeaders, String) = (.internalServerError, [:], "")
            try await app.test(.POST, path, headers: fields) { res async in
                result = (res.status, res.headers, res.body.string)
            }
            return result
        }
        func store(_ headers: HTTPHeaders) {
            browser.store(headers.setCookies)
            if let field = headers.first(name: "Secure-Session-Challenge") { browser.pushedChallenge = challenge(in: field) }
        }
        func me(_ cookie: String? = nil) async throws -> HTTPStatus {
            var status = HTTPStatus.internalServerError
            try await app.test(.GET, "account/me", headers: ["Cookie": cookie ?? browser.cookieHeader() ?? ""]) { res async in
                status = res.status
            }
            return status
        }

        // Sign-in: the session cookie and the offer (the test service checks no CSRF on sign-in
        // without a cookie: it takes the form token from /form first).
        var csrfToken = ""
        var csrfCookie = ""
        try await app.test(.GET, "form") { res async in
            csrfToken = res.body.string
            csrfCookie = res.headers.setCookies.map { String($0.prefix { $0 != ";" }) }.joined(separator: "; ")
        }
        var offer: String?
        try await app.test(
            .POST, "signin", headers: ["Cookie": csrfCookie, "X-CSRF-Token": csrfToken, "Content-Type": "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "user=user-1")
        ) { res async in
            XCTAssertEqual(res.status, .seeOther)
            browser.store(res.headers.setCookies)
            offer = res.headers.first(name: "Secure-Session-Registration")
        }
        let bearer = try XCTUnwrap(browser.cookieHeader())
        let proof = try browser.proof(try XCTUnwrap(challenge(in: XCTUnwrap(offer))), registration: true)
        let registered = try await post("/dbsc/register", ["Secure-Session-Response": proof])
        XCTAssertEqual(registered.0, .ok, registered.2)
        XCTAssertTrue(registered.2.contains(#""session_identifier""#))
        store(registered.1)
        var status = try await me()
        XCTAssertEqual(status, .ok)
        status = try await me(bearer)
        XCTAssertEqual(status, .unauthorized, "the bearer cookie is retired")

        clock.now = Fixture.start.addingTimeInterval(301)
        _ = await revocations.reload()  // the set is read again, as the service would every 30 s
        status = try await me()
        XCTAssertEqual(status, .unauthorized, "a bound cookie past its lifetime")
        let thief = try SoftwareBrowser()
        let forged = try await post(
            "/dbsc/refresh", ["Secure-Session-Response": try thief.proof(XCTUnwrap(browser.pushedChallenge), registration: false)])
        XCTAssertEqual(forged.0, .unauthorized)
        let asked = try await post("/dbsc/refresh")
        XCTAssertEqual(asked.0, .forbidden)
        let fresh = try XCTUnwrap(asked.1.first(name: "Secure-Session-Challenge").flatMap(challenge(in:)))
        let refreshed = try await post("/dbsc/refresh", ["Secure-Session-Response": try browser.proof(fresh, registration: false)])
        XCTAssertEqual(refreshed.0, .ok)
        store(refreshed.1)
        status = try await me()
        XCTAssertEqual(status, .ok)

        // Sign-out: Clear-Site-Data ends the session in the browser.
        var cleared: String?
        try await app.test(.GET, "form", headers: ["Cookie": browser.cookieHeader() ?? ""]) { res async in
            csrfToken = res.body.string
            browser.store(res.headers.setCookies)
        }
        try await app.test(.POST, "signout-device", headers: ["Cookie": browser.cookieHeader() ?? "", "X-CSRF-Token": csrfToken]) {
            res async in
            XCTAssertEqual(res.status, .ok)
            cleared = res.headers.first(name: "Clear-Site-Data")
        }
        XCTAssertEqual(cleared, #""cookies""#)
    }
}
#endif
