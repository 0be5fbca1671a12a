import Foundation
import SessionCookies
import SessionToken
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// The example of SessionCookies' article "Cookies, CSRF and callback URLs", compiled and run, so
/// the text cannot drift from the API.
final class CookieReadmeExampleTests: XCTestCase {
    func testReadmeExample() throws {
        let sessions = try makeSealer()
        let nextAuthSecret = "the front end's NEXTAUTH_SECRET"
        var printed: [String] = []
        func print(_ line: String) { printed.append(line) }
        var responseHeaders: [(String, String)] = []
        func addHeader(_ name: String, _ value: String) { responseHeaders.append((name, value)) }

        // --- article begins
        // Once, at start-up.
        let policy = CookiePolicy.nextAuthV4(secure: true)
        let sessionCookie = SessionCookie(sealer: sessions, policy: policy)
        let csrf = try NextAuthCSRF(secret: nextAuthSecret)
        let callbacks = try CallbackURLValidator(origin: "https://app.example.com")

        // Every request: who is signed in, if anyone; a rolling re-issue when one is due.
        func handle(cookieHeader: String) {
            guard let cookies = try? RequestCookies(header: cookieHeader),
                let refreshed = try? sessionCookie.read(cookies)
            else {
                print("signed out")  // no cookie, or one that is invalid, expired or sent twice
                return
            }
            if let replacement = refreshed.replacement,
                let lines = try? sessionCookie.setCookieHeaders(for: replacement, request: cookies)
            {
                for line in lines { addHeader("Set-Cookie", line) }
            }
            print("signed in as \(refreshed.session.subject ?? "?")")
        }

        // Sign-in response: the session cookie (chunked when long), a CSRF cookie, a safe redirect.
        func signIn(userID: String, cookieHeader: String, callbackURL: String) throws {
            let cookies = try RequestCookies(header: cookieHeader)
            let writer = CookieWriter(policy: policy, request: cookies)
            var lines = try sessionCookie.signIn(subject: userID, request: cookies)
            lines.append(try writer.setCookie(policy.csrf, value: csrf.cookieValue(for: csrf.makeToken())))
            for line in lines { addHeader("Set-Cookie", line) }
            addHeader("Location", callbacks.validate(callbackURL))  // "//evil.example" gives the origin
        }

        // Sign-out response: expire the session cookie and every chunk of it the browser sent.
        func signOut(cookieHeader: String) {
            let cookies = (try? RequestCookies(header: cookieHeader)) ?? .empty
            for line in sessionCookie.signOut(request: cookies) { addHeader("Set-Cookie", line) }
        }
        // --- article ends

        handle(cookieHeader: "theme=dark")
        XCTAssertEqual(printed, ["signed out"])

        try signIn(userID: "user-42", cookieHeader: "theme=dark", callbackURL: "/inbox")
        let set = responseHeaders.filter { $0.0 == "Set-Cookie" }.map(\.1)
        XCTAssertEqual(set.count, 2)
        XCTAssertTrue(set[0].hasPrefix("__Secure-next-auth.session-token=ey"), set[0])
        XCTAssertTrue(set[0].hasSuffix("; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"), set[0])
        XCTAssertTrue(set[1].hasPrefix("__Host-next-auth.csrf-token="), set[1])
        XCTAssertTrue(set[1].contains("%7C"), set[1])
        XCTAssertEqual(responseHeaders.first { $0.0 == "Location" }?.1, "https://app.example.com/inbox")

        // The browser sends the session cookie back: signed in, nothing re-set on a fresh token.
        let jar = header(applying(set, to: [("theme", "dark")]))
        responseHeaders = []
        handle(cookieHeader: jar)
        XCTAssertEqual(printed.last, "signed in as user-42")
        XCTAssertTrue(responseHeaders.isEmpty)
        // The same cookie twice (one planted for a sub-path) is ambiguous: signed out.
        handle(cookieHeader: jar + "; " + String(set[0].prefix { $0 != ";" }))
        XCTAssertEqual(printed.last, "signed out")

        signOut(cookieHeader: jar)
        XCTAssertEqual(responseHeaders.map(\.1),
                       ["__Secure-next-auth.session-token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"])
    }

    /// The DocC article shows the example exactly as the test runs it.
    func testReadmeSectionShowsTheExampleVerbatim() throws {
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionCookies/Docs.docc/CookiesAndCSRF.md", of: #filePath, begin: "// --- article begins", end: "// --- article ends", importing: "SessionTokenNextAuth"),
            "CookiesAndCSRF.md must show this test's snippet exactly as it runs")
    }
}
