import Foundation
import SessionTokenTestSupport
import XCTest

/// Text the CLI prints from a token reaches a terminal: C1 controls, DEL, ESC and bidi controls
/// in claims come out as JSON escapes, so the output keeps its meaning and cannot drive the
/// terminal or reorder what the reader sees.
final class CLITerminalSafetyTests: XCTestCase {
    let spec = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path))
    }

    func testOpenEscapesClaimsFromTheToken() throws {
        let raw = HostileText.raw(), escaped = HostileText.escaped()
        // The claims go in as JSON escapes, so the token carries the raw characters; the user
        // ID goes in raw through argv.
        let sealed = try CLI.run([
            "seal", "--keys", spec, "--user", raw, "--now", "1800000000",
            "--claims", #"{"note":""# + escaped + #"",""# + escaped + #"":1}"#,
        ])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        XCTAssertEqual(HostileText.unsafeScalars(in: sealed.stdout), [], "seal prints the token only")
        let token = sealed.stdout.trimmingCharacters(in: .newlines)

        let opened = try CLI.run(["open", "--keys", spec, "--now", "1800000001", token])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(HostileText.unsafeScalars(in: opened.stdout), [])
        XCTAssertTrue(opened.stdout.contains(#""note":""# + escaped + #"""#), opened.stdout)
        XCTAssertTrue(opened.stdout.contains(#""sub":""# + escaped + #"""#), opened.stdout)
        XCTAssertTrue(opened.stdout.contains(#"""# + escaped + #"":1"#), opened.stdout)
        // Still one line of JSON with the token's own strings.
        XCTAssertEqual(opened.stdout.split(separator: "\n").count, 1)
        let claims = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(claims["note"] as? String, raw)
        XCTAssertEqual(claims["sub"] as? String, raw)
        XCTAssertEqual(claims[raw] as? Int, 1)
    }

    /// A command added later prints through `Console` too: no other way to write to the
    /// terminal appears in the tool's sources.
    func testOnlyConsolePrints() throws {
        let folder = packageRoot.appendingPathComponent("Sources/session-token")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let writes = source.components(separatedBy: "\n").filter { line in
                !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                    && ["print(", "standardOutput", "standardError", "fputs(", "FileHandle("].contains { line.contains($0) }
            }
            // The two lines of Console itself.
            XCTAssertEqual(writes.count, file == "SessionTokenCommand.swift" ? 2 : 0, "\(file): \(writes)")
        }
    }
}
