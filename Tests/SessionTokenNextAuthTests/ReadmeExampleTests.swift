import Foundation
import SessionToken
import XCTest

import SessionTokenNextAuth

/// The README's next-auth example, compiled and run
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

        // --- README begins
        // Once, at start-up: AUTH_SECRET (then older secrets), Auth.js v5 over https.
        let codec = try NextAuthCodec(secrets: [authSecret], format: .v5(secure: true))
        let cookie = try NextAuthCookie(format: codec.format, secure: true)

        // On every request: join the cookie's chunks, then decode (or treat as signed out).
        if let token = cookie.token(fromCookieHeader: cookieHeader),
           let session = try? codec.decode(token) {
            print("signed in as \(session.email ?? "?") (\(session.subject ?? "?")) until \(session.expiresAt)")
        }
        // --- README ends

        XCTAssertTrue(printed?.hasPrefix("signed in as ada@example.com (42) until ") == true, printed ?? "nothing printed")
    }

    func testReadmeShowsTheExampleVerbatim() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        guard let begin = lines.firstIndex(where: { $0.hasSuffix("// --- README begins") }),
            let end = lines.firstIndex(where: { $0.hasSuffix("// --- README ends") })
        else { return XCTFail("markers missing") }
        let block = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
            .joined(separator: "\n")
        XCTAssertTrue(readme.contains("import SessionTokenNextAuth\n\n" + block + "\n```"),
                      "README.md must show the next-auth example exactly as this test runs it")
    }
}
