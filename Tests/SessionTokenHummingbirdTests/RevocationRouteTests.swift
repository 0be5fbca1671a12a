#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SessionToken
import SessionTokenHTTP
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// Sign-outs that revoke, through the router client and a live server: a copy of the cookie
/// is refused afterwards, the user's other device only after "sign out everywhere".
final class RevocationRouteTests: XCTestCase {
    func testSignOutRevokesThisDeviceAndSignOutEverywhereTheUser() async throws {
        for setup in testingSetups {
            let spec = MutableSpec(Fixture.key1)
            let clock = TestClock(Fixture.start)
            let keys = try KeyRingProvider(source: .custom { spec.value })
            let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
            let configuration = try makeConfiguration(spec: spec, clock: clock, revocations: revocations)
            let app = Application(router: try makeRouter(configuration: configuration))
            try await app.test(setup) { client in
                let laptop = try await SessionMiddlewareTests.signIn(client)
                let phone = try await SessionMiddlewareTests.signIn(client)
                let other = try await SessionMiddlewareTests.signIn(client, user: "user-2")
                clock.now = Fixture.start.addingTimeInterval(1)
                func me(_ cookie: String) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: cookie]) { $0.status }
                }
                func post(_ uri: String, _ session: String) async throws {
                    let (token, cookies) = try await SessionMiddlewareTests.csrf(client, cookies: session)
                    try await client.execute(
                        uri: uri, method: .post, headers: [.cookie: cookies, HTTPField.Name("X-CSRF-Token")!: token]
                    ) { response in
                        XCTAssertEqual(response.status, .ok)
                        XCTAssertTrue(response.headers[values: .setCookie].contains { $0.contains("Max-Age=0") })
                    }
                }
                try await post("/signout-device", laptop)
                let afterDevice = (try await me(laptop), try await me(phone), try await me(other))
                XCTAssertEqual(afterDevice.0, .unauthorized, "the signed-out cookie, replayed, is refused")
                XCTAssertEqual(afterDevice.1, .ok)
                XCTAssertEqual(afterDevice.2, .ok)

                try await post("/signout-everywhere", phone)
                let afterEverywhere = (try await me(phone), try await me(other))
                XCTAssertEqual(afterEverywhere.0, .unauthorized)
                XCTAssertEqual(afterEverywhere.1, .ok, "another user stays signed in")
                clock.now = Fixture.start.addingTimeInterval(2)
                let again = try await SessionMiddlewareTests.signIn(client)
                let afterNewSignIn = try await me(again)
                XCTAssertEqual(afterNewSignIn, .ok, "a new sign-in after the revocation works")
            }
        }
    }
}
#endif
