import Foundation
import SessionCookies
import SessionToken
import SessionTokenTestSupport
import XCTest

/// The README's cookie example, compiled and run, so
/// the text cannot drift from the API.
final class CookieReadmeExampleTests: XCTestCase {
    func testReadmeExample() throws {
        let sessions = try makeSealer()
        let nextAuthSecret = "the front end's NEXTAUTH_SECRET"
        let requestCookieHeader = "theme=dark"
        var responseHeaders: [(String, String)] = []
        func addHeader(_ name: String, _ value: String) { responseHeaders.append((name, value)) }

        // --- README begins
        // Once, at start-up.
        let policy = CookiePolicy.nextAuthV4(secure: true)
        let sessionCookie = SessionCookie(sealer: sessions, policy: policy)
        let csrf = try NextAuthCSRF(secret: nextAuthSecret)
        let callbacks = try CallbackURLValidator(origin: "https://app.example.com")

        // Login response: the session cookie (chunked when long) and a CSRF cookie.
        let cookies = try RequestCookies(header: requestCookieHeader)
        let writer = CookieWriter(policy: policy, request: cookies)
        var setCookies = try sessionCookie.signIn(subject: "user-42", request: cookies)
        setCookies.append(try writer.setCookie(policy.csrf, value: csrf.cookieValue(for: csrf.makeToken())))
        for line in setCookies { addHeader("Set-Cookie", line) }
        addHeader("Location", callbacks.validate("/inbox"))  // "//evil.example" would give the origin

        // Logout response: expire the session cookie and every chunk of it the browser sent.
        for line in sessionCookie.signOut(request: cookies) { addHeader("Set-Cookie", line) }
        // --- README ends

        let set = responseHeaders.filter { $0.0 == "Set-Cookie" }.map(\.1)
        XCTAssertEqual(set.count, 3)
        XCTAssertTrue(set[0].hasPrefix("__Secure-next-auth.session-token=ey"), set[0])
        XCTAssertTrue(set[0].hasSuffix("; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"), set[0])
        XCTAssertTrue(set[1].hasPrefix("__Host-next-auth.csrf-token="), set[1])
        XCTAssertTrue(set[1].contains("%7C"), set[1])
        XCTAssertEqual(set[2], "__Secure-next-auth.session-token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax")
        XCTAssertEqual(responseHeaders.first { $0.0 == "Location" }?.1, "https://app.example.com/inbox")
    }

    /// README.md shows the example exactly as the test runs it.
    func testReadmeSectionShowsTheExampleVerbatim() throws {
        XCTAssertTrue(
            try readmeShowsSnippet(of: #filePath, begin: "// --- README begins", end: "// --- README ends", importing: "SessionCookies"),
            "README.md must show this test's snippet exactly as it runs")
    }
}
