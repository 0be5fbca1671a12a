import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

/// The README's quick start, compiled and run here; a second test checks that the README
/// still shows exactly this code, so the two cannot drift apart.
final class ReadmeTests: XCTestCase {
    func testQuickStartRuns() throws {
        setenv("SESSION_TOKEN_KEYS", "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", 1)
        defer { unsetenv("SESSION_TOKEN_KEYS") }
        var printed: [String] = []
        func print(_ line: String) { printed.append(line) }

        // README QUICK START BEGIN
        // Once, at start-up: the keys from the environment (make them with `session-token keygen`).
        // A missing or empty variable throws `configuration("environment variable ... is not set")`.
        let keys = try KeyRingSource.environment("SESSION_TOKEN_KEYS").load()
        let sessions = try SessionSealer(keys: keys)

        // At sign-in: seal the user's ID into a token for the session cookie (30 days).
        let token = try sessions.seal(subject: "user-42")

        // On every request: open the cookie's token, or treat the request as signed out.
        do {
            let session = try sessions.open(token)
            print("signed in as \(session.subject ?? "?") until \(session.expiresAt)")
        } catch {
            print("signed out: \(error)")  // invalid, expired or not yet valid
        }
        // README QUICK START END

        XCTAssertEqual(printed.count, 1)
        XCTAssertTrue(printed[0].hasPrefix("signed in as user-42 until "), printed[0])
    }

    func testReadmeShowsTheQuickStartVerbatim() throws {
        XCTAssertTrue(
            try readmeShowsSnippet(of: #filePath, begin: "// README QUICK START BEGIN", end: "// README QUICK START END", importing: "SessionToken"),
            "README.md must show this test's snippet exactly as it runs")
    }
}
