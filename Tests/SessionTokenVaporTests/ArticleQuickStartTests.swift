#if Vapor
import Foundation
import SessionToken
import SessionTokenHTTP
import SessionTokenTestSupport
import SessionTokenVapor
import XCTVapor

/// The five lines of SessionTokenVapor's article, compiled and run as shown.
final class VaporReadmeQuickStartTests: XCTestCase {
    func testTheQuickStartSignsInAndAuthorises() async throws {
        setenv("SESSION_TOKEN_KEYS", Fixture.key1, 1)
        defer { unsetenv("SESSION_TOKEN_KEYS") }
        let app = try await Application.make(.testing)

        // --- article begins
        let keys = try KeyRingProvider(source: .environment("SESSION_TOKEN_KEYS"))
        let sessions = app.grouped(SessionTokenMiddleware(SessionConfiguration(keys: keys)))  // 1: open the cookie
            .grouped(SessionTokenAuthenticator())  // 2: log the verified session in
        sessions.post("signin") { req -> HTTPStatus in
            try req.sessionToken.signIn(subject: "user-42")  // 3: sets the session cookie
            return .noContent
        }
        sessions.grouped(OpenedSession.guardMiddleware())  // 4: 401 when signed out
            .get("account", "me") { req in try req.auth.require(OpenedSession.self).subject }  // 5
        // --- article ends

        var cookie = ""
        try await app.test(.POST, "signin") { res async in
            XCTAssertEqual(res.status, .noContent)
            cookie = cookieHeader(from: res.headers.setCookies)
        }
        try await app.test(.GET, "account/me") { res async in XCTAssertEqual(res.status, .unauthorized) }
        try await app.test(.GET, "account/me", headers: ["Cookie": cookie]) { res async in
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.body.string, "user-42")
        }
        try await app.asyncShutdown()
    }

    /// The DocC article shows the snippet exactly as the test runs it.
    func testTheReadmeShowsTheQuickStartVerbatim() throws {
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionTokenVapor/Docs.docc/VaporIntegration.md", of: #filePath, begin: "// --- article begins", end: "// --- article ends", importing: "SessionTokenVapor"),
            "VaporIntegration.md must show this test's snippet exactly as it runs")
    }
}
#endif
