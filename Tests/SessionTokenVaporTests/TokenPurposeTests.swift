#if Vapor
import Foundation
import SessionToken
import SessionTokenHTTP
import SessionTokenTestSupport
import SessionTokenVapor
import XCTVapor

/// The security review's high finding, through Vapor itself: in the setup the README shows (the
/// sealed session driver and the session middleware on one key ring), an anonymous visitor
/// copied the `vapor-session` cookie into the session cookie and was signed in as
/// `vapor-session`. Each is now sealed for its own purpose.
final class TokenPurposeTests: XCTestCase {
    func testTheDriversCookieIsNoSessionAndASessionIsNoDriverData() async throws {
        let app = try await Application.make(.testing)
        let keys = try KeyRingProvider(source: .custom { Fixture.key1 })
        app.sessions.use { _ in SealedSessionDriver(keys: keys) }
        app.sessions.configuration = .sealed()
        app.middleware.use(app.sessions.middleware)
        let configuration = SessionConfiguration(keys: keys)
        let sessions = app.grouped(SessionTokenMiddleware(configuration)).grouped(SessionTokenAuthenticator())
        sessions.get("visit") { req -> String in
            let visits = (req.session.data["visits"].flatMap { Int($0) } ?? 0) + 1
            req.session.data["visits"] = String(visits)
            return String(visits)
        }
        sessions.post("signin") { req -> HTTPStatus in
            try req.sessionToken.signIn(subject: "user-42")
            return .noContent
        }
        sessions.grouped(OpenedSession.guardMiddleware()).get("account", "me") { req in
            try req.auth.require(OpenedSession.self).subject
        }

        // The anonymous visitor's driver cookie, sent as the session cookie: signed out.
        var driverValue = ""
        try await app.test(.GET, "visit") { res async in
            XCTAssertEqual(res.body.string, "1")
            let line = res.headers.first(name: .setCookie) ?? ""
            driverValue = String(line.prefix { $0 != ";" }.drop { $0 != "=" }.dropFirst())
        }
        XCTAssertFalse(driverValue.isEmpty)
        let sessionName = configuration.policy.session.name
        try await app.test(.GET, "account/me", headers: ["Cookie": "\(sessionName)=\(driverValue)"]) { res async in
            XCTAssertEqual(res.status, .unauthorized, "the driver's data must never open as a session")
        }

        // A signed-in session's token, sent as the driver's cookie: no session data.
        var sessionValue = ""
        try await app.test(.POST, "signin") { res async in
            XCTAssertEqual(res.status, .noContent)
            let line = res.headers.setCookies.first { $0.hasPrefix(sessionName + "=") } ?? ""
            sessionValue = String(line.prefix { $0 != ";" }.dropFirst(sessionName.count + 1))
            XCTAssertEqual(res.headers.first(name: .cacheControl), "private, no-store")
            XCTAssertTrue(res.headers[.vary].joined(separator: ",").lowercased().contains("cookie"))
        }
        try await app.test(.GET, "account/me", headers: ["Cookie": "\(sessionName)=\(sessionValue)"]) { res async in
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.body.string, "user-42")
        }
        try await app.test(.GET, "visit", headers: ["Cookie": "vapor-session=\(sessionValue)"]) { res async in
            XCTAssertEqual(res.body.string, "1", "a session token reads as no session data")
        }
        try await app.asyncShutdown()
    }
}
#endif
