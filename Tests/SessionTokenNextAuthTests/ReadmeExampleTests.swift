import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

import SessionTokenNextAuth

/// The example of SessionTokenNextAuth's article "Reading a next-auth session", compiled and run
/// against a cookie set the way a front end sets it, so the text cannot drift from the API.
final class ReadmeExampleTests: XCTestCase {
    func testReadmeExample() throws {
        let authSecret = "the-front-end's AUTH_SECRET"
        let frontEnd = try NextAuthCodec(secrets: [authSecret], format: .v5(cookieName: "__Secure-authjs.session-token"))
        let token = try frontEnd.encode(NextAuthClaims(name: "Ada", email: "ada@example.com", subject: "42",
                                                       expiresAt: Date()))
        let cookieHeader = "theme=dark; __Secure-authjs.session-token=\(token)"
        var printed: String?
        func print(_ line: String) { printed = line }

        // --- article begins
        // Once, at start-up: AUTH_SECRET (then older secrets), Auth.js v5 over https.
        let codec = try NextAuthCodec(secrets: [authSecret], format: .v5(secure: true))
        let cookie = try NextAuthCookie(format: codec.format, secure: true)

        // On every request: join the cookie's chunks, then decode (or treat as signed out).
        if let token = cookie.token(fromCookieHeader: cookieHeader),
           let session = try? codec.decode(token) {
            print("signed in as \(session.email ?? "?") (\(session.subject ?? "?")) until \(session.expiresAt)")
        }
        // --- article ends

        XCTAssertTrue(printed?.hasPrefix("signed in as ada@example.com (42) until ") == true, printed ?? "nothing printed")
    }

    func testReadmeShowsTheExampleVerbatim() throws {
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionTokenNextAuth/Docs.docc/NextAuthInterop.md", of: #filePath, begin: "// --- article begins", end: "// --- article ends", importing: "SessionTokenNextAuth"),
            "NextAuthInterop.md must show this test's snippet exactly as it runs")
    }
}
