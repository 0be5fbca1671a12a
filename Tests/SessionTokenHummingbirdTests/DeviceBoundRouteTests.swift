#if Hummingbird
import DeviceBoundTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenRevocation
import SessionTokenTestSupport
import XCTest

/// Device-bound sessions through Hummingbird, with its router client and a live server: the
/// sign-in's offer, registration and refresh served by the middleware before any route (and
/// before the CSRF middleware, which would refuse the browser's POSTs), the bearer cookie
/// retired, a copy of the bound cookie refused once it expires, and sign-out's Clear-Site-Data.
final class DeviceBoundRouteTests: XCTestCase {
    func testRegistrationRefreshAndSignOutThroughTheMiddleware() async throws {
        for setup in testingSetups {
            let spec = MutableSpec(Fixture.key1)
            let clock = TestClock(Fixture.start)
            let keys = try KeyRingProvider(source: .custom { spec.value })
            let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
            try await revocations.start()
            let binding = try DeviceBinding.deviceBound(origin: "https://localhost:8443", cookieLifetime: 300)
            let configuration = try makeConfiguration(
                spec: spec, clock: clock, revocations: revocations, deviceBinding: binding)
            let app = Application(router: try makeRouter(configuration: configuration))
            try await app.test(setup) { client in
                var browser = try SoftwareBrowser()
                func post(_ uri: String, _ headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields, String) {
                    var fields = headers
                    if let cookie = browser.cookieHeader(path: uri) { fields[.cookie] = cookie }
                    return try await client.execute(uri: uri, method: .post, headers: fields) {
                        ($0.status, $0.headers, String(buffer: $0.body))
                    }
                }
                func store(_ headers: HTTPFields) {
                    browser.store(headers[values: .setCookie])
                    if let field = headers[HTTPField.Name("Secure-Session-Challenge")!] {
                        browser.pushedChallenge = challenge(in: field)
                    }
                }
                func me() async throws -> HTTPResponse.Status {
                    let cookie = browser.cookieHeader() ?? ""
                    return try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: cookie]) { $0.status }
                }

                // Sign-in: the session cookie and the offer.
                let (token, csrfCookie) = try await SessionMiddlewareTests.csrf(client)
                let offer = try await client.execute(
                    uri: "/signin", method: .post,
                    headers: [.cookie: csrfCookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "user=user-1&csrfToken=\(token)")
                ) { response -> String? in
                    XCTAssertEqual(response.status, .seeOther)
                    browser.store(response.headers[values: .setCookie])
                    return response.headers[HTTPField.Name("Secure-Session-Registration")!]
                }
                let bearer = try XCTUnwrap(browser.cookieHeader())
                let registrationChallenge = try XCTUnwrap(challenge(in: XCTUnwrap(offer)))

                // Registration: no CSRF token, yet not refused by the CSRF middleware.
                let proof = try browser.proof(registrationChallenge, registration: true)
                let (status, headers, body) = try await post(
                    "/dbsc/register", [HTTPField.Name("Secure-Session-Response")!: proof])
                XCTAssertEqual(status, .ok, body)
                XCTAssertEqual(headers[.contentType], "application/json")
                XCTAssertTrue(body.contains(#""refresh_url":"/dbsc/refresh""#), body)
                store(headers)
                var signedIn = try await me()
                XCTAssertEqual(signedIn, .ok)
                let bearerStatus = try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: bearer]) {
                    $0.status
                }
                XCTAssertEqual(bearerStatus, .unauthorized, "the bearer cookie is retired")

                // Past the bound lifetime a copy of the cookie is refused; the browser refreshes.
                clock.now = Fixture.start.addingTimeInterval(301)
                _ = await revocations.reload()  // the set is read again, as the service would every 30 s
                signedIn = try await me()
                XCTAssertEqual(signedIn, .unauthorized)
                let asked = try await post("/dbsc/refresh")
                XCTAssertEqual(asked.0, .forbidden)
                let fresh = try XCTUnwrap(asked.1[HTTPField.Name("Secure-Session-Challenge")!].flatMap(challenge(in:)))
                let refreshed = try await post(
                    "/dbsc/refresh", [HTTPField.Name("Secure-Session-Response")!: try browser.proof(fresh, registration: false)])
                XCTAssertEqual(refreshed.0, .ok)
                store(refreshed.1)
                signedIn = try await me()
                XCTAssertEqual(signedIn, .ok)

                // A GET to an endpoint, and another key's proof.
                let get = try await client.execute(uri: "/dbsc/refresh", method: .get) { $0.status }
                XCTAssertEqual(get, .methodNotAllowed)
                let thief = try SoftwareBrowser()
                let forged = try await post(
                    "/dbsc/refresh",
                    [HTTPField.Name("Secure-Session-Response")!: try thief.proof(XCTUnwrap(browser.pushedChallenge), registration: false)])
                XCTAssertEqual(forged.0, .unauthorized)

                // Sign-out ends the bound session in the browser at once.
                let (csrfToken, cookies) = try await SessionMiddlewareTests.csrf(client, cookies: browser.cookieHeader() ?? "")
                let signOut = try await client.execute(
                    uri: "/signout-device", method: .post,
                    headers: [.cookie: cookies, HTTPField.Name("X-CSRF-Token")!: csrfToken]
                ) { $0.headers[HTTPField.Name("Clear-Site-Data")!] }
                XCTAssertEqual(signOut, #""cookies""#)
            }
        }
    }
}
#endif
