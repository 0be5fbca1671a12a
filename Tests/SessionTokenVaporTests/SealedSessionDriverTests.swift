#if Vapor
import Foundation
import SessionToken
import SessionTokenVapor
import SessionTokenTestSupport
import XCTVapor

/// `app.sessions` with the stateless driver: `req.session.data` sealed into the cookie.
final class SealedSessionDriverTests: XCTestCase {
    func makeApp(spec: MutableSpec) async throws -> Application {
        let app = try await Application.make(.testing)
        let keys = try KeyRingProvider(source: .custom { spec.value })
        app.sessions.use { _ in SealedSessionDriver(keys: keys) }
        app.sessions.configuration = .sealed()
        app.middleware.use(app.sessions.middleware)
        app.get("count") { req -> String in
            let count = (req.session.data["count"].flatMap { Int($0) } ?? 0) + 1
            req.session.data["count"] = String(count)
            return String(count)
        }
        app.post("big") { req -> String in
            req.session.data["blob"] = String(repeating: "x", count: 4000)
            return "stored"
        }
        app.post("end") { req -> String in
            req.session.destroy()
            return "ended"
        }
        keysByApp[ObjectIdentifier(app)] = keys
        return app
    }

    var keysByApp: [ObjectIdentifier: KeyRingProvider] = [:]

    func get(_ app: Application, _ path: String, cookie: String? = nil, method: HTTPMethod = .GET) async throws
        -> (status: HTTPStatus, body: String, setCookie: String?)
    {
        var result: (HTTPStatus, String, String?) = (.ok, "", nil)
        try await app.test(method, path, headers: cookie.map { ["Cookie": $0] } ?? [:]) { res async in
            result = (res.status, res.body.string, res.headers.first(name: .setCookie))
        }
        return result
    }

    func testSessionDataLiveInTheCookieAndAnyServerWithTheKeysReadsThem() async throws {
        let spec = MutableSpec(Fixture.key1)
        let app = try await makeApp(spec: spec)
        let other = try await makeApp(spec: MutableSpec(Fixture.key1))  // another server of the fleet

        let first = try await get(app, "count")
        XCTAssertEqual(first.body, "1")
        let line = try XCTUnwrap(first.setCookie)
        XCTAssertTrue(line.hasPrefix("vapor-session=eyJ"), "the value is a sealed token: \(line.prefix(40))")
        for attribute in ["Max-Age=2592000", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
            XCTAssertTrue(line.contains(attribute), "\(attribute) in \(line)")
        }
        var cookie = String(line.prefix { $0 != ";" })
        let second = try await get(other, "count", cookie: cookie)
        XCTAssertEqual(second.body, "2", "no store: the other server reads the same cookie")
        cookie = String(try XCTUnwrap(second.setCookie).prefix { $0 != ";" })

        // Rotation: the next key becomes primary; the cookie still reads and is re-sealed under it.
        spec.value = "\(Fixture.key2),\(Fixture.key1)"
        try XCTUnwrap(keysByApp[ObjectIdentifier(app)]).reload()
        let third = try await get(app, "count", cookie: cookie)
        XCTAssertEqual(third.body, "3")
        XCTAssertTrue(try XCTUnwrap(third.setCookie).contains("vapor-session="))

        // A tampered cookie is no session: a new one starts, never an error.
        let tampered = String(cookie.dropLast(2)) + (cookie.hasSuffix("AA") ? "BB" : "AA")
        let fresh = try await get(app, "count", cookie: tampered)
        XCTAssertEqual(fresh.status, .ok)
        XCTAssertEqual(fresh.body, "1")
        let garbage = try await get(app, "count", cookie: "vapor-session=%%%")
        XCTAssertEqual(garbage.body, "1")

        // Destroying the session expires the cookie.
        let ended = try await get(app, "end", cookie: cookie, method: .POST)
        XCTAssertEqual(ended.body, "ended")
        let expiring = try XCTUnwrap(ended.setCookie)
        XCTAssertTrue(expiring.hasPrefix("vapor-session=;"), expiring)
        XCTAssertTrue(expiring.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT"), expiring)
        try await app.asyncShutdown()
        try await other.asyncShutdown()
    }

    func testDataPastOneCookieIsAClearError() async throws {
        let keys = try KeyRingProvider(source: .custom { Fixture.key1 })
        let driver = SealedSessionDriver(keys: keys)
        XCTAssertEqual(driver.maxTokenLength, 4096 - "vapor-session".utf8.count - 1)
        let app = try await Application.make(.testing)
        let request = Request(application: app, on: app.eventLoopGroup.next())
        let small = try await driver.createSession(["a": "b"], for: request)
        let read = try await driver.readSession(small, for: request)
        XCTAssertEqual(read, ["a": "b"])
        let unreadable = try await driver.readSession(SessionID(string: "not-a-token"), for: request)
        XCTAssertNil(unreadable)
        do {
            _ = try await driver.createSession(["blob": String(repeating: "x", count: 4000)], for: request)
            XCTFail("4000 bytes of data cannot fit one cookie once sealed")
        } catch let error as SessionTokenError {
            guard case .unsealable(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("one cookie"), message)
        }
        try await app.asyncShutdown()
    }
}
#endif
