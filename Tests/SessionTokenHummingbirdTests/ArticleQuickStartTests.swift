#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenTestSupport
import XCTest

/// The five lines of SessionTokenHummingbird's article, compiled and run as shown.
final class ArticleQuickStartTests: XCTestCase {
    func testTheQuickStartSignsInAndAuthorises() async throws {
        setenv("SESSION_TOKEN_KEYS", Fixture.key1, 1)
        defer { unsetenv("SESSION_TOKEN_KEYS") }

        // --- article begins
        struct AppContext: AuthRequestContext, SessionTokenRequestContext {
            var coreContext: CoreRequestContextStorage
            var identity: OpenedSession?
            var sessionToken = RequestSession()  // 1: the request's session
            init(source: Source) { coreContext = .init(source: source) }
        }

        let keys = try KeyRingProvider(source: .environment("SESSION_TOKEN_KEYS"))
        let router = Router(context: AppContext.self)
        router.add(middleware: SessionTokenMiddleware(SessionConfiguration(keys: keys)))  // 2: open the cookie
        router.add(middleware: SessionTokenAuthenticator())  // 3: the session is the identity
        router.post("/signin") { _, context -> HTTPResponse.Status in
            try context.sessionToken.signIn(subject: "user-42")  // 4: sets the session cookie
            return .noContent
        }
        router.group("/account").add(middleware: IsAuthenticatedMiddleware())
            .get("/me") { _, context in try context.requireIdentity().subject }  // 5: 401 when signed out
        let app = Application(router: router)
        // --- article ends

        try await app.test(.live) { client in
            let cookie = try await client.execute(uri: "/signin", method: .post) { response in
                XCTAssertEqual(response.status, .noContent)
                return cookieHeader(from: response.headers.setCookies)
            }
            try await client.execute(uri: "/account/me", method: .get) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: cookie]) {
                XCTAssertEqual($0.status, .ok)
                XCTAssertEqual(String(buffer: $0.body), "user-42")
            }
        }
    }

    /// The DocC article shows the snippet exactly as the test runs it.
    func testTheReadmeShowsTheQuickStartVerbatim() throws {
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionTokenHummingbird/Docs.docc/HummingbirdIntegration.md", of: #filePath, begin: "// --- article begins", end: "// --- article ends", importing: "SessionTokenHummingbird"),
            "HummingbirdIntegration.md must show this test's snippet exactly as it runs")
    }
}
#endif
