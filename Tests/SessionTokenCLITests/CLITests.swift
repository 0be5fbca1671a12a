import Foundation
import SessionTokenTestSupport
import XCTest

/// The `session-token` executable end to end: exit codes, standard output and standard error.
final class CLITests: XCTestCase {
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLI.Run {
        try CLI.run(arguments, stdin: stdin, environment: environment)
    }

    let spec = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path), "no executable at \(CLI.executable.path)")
    }

    func testVersionIsPrinted() throws {
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, "0.2.0-dev\n")
        XCTAssertEqual(version.stderr, "")
    }

    func testKeygenPrintsOneEntry() throws {
        let named = try run(["keygen", "--id", "2026-a"])
        XCTAssertEqual(named.status, 0)
        XCTAssertTrue(named.stdout.hasPrefix("2026-a:"))
        XCTAssertEqual(named.stdout.trimmingCharacters(in: .newlines).count, "2026-a:".count + 43)
        let unnamed = try run(["keygen"])
        let entry = unnamed.stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(entry.split(separator: ":").first?.count, 12)
        XCTAssertEqual(try run(["keygen", "--id", "bad id"]).status, 2)
    }

    func testSealThenOpen() throws {
        let sealed = try run(["seal", "--keys", spec, "--user", "alice", "--ttl", "12h", "--now", "1800000000",
                              "--claims", #"{"role":"admin"}"#])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        let token = sealed.stdout.trimmingCharacters(in: .newlines)
        let opened = try run(["open", "--keys", spec, "--now", "1800000001", token])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let claims = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(claims?["sub"] as? String, "alice")
        XCTAssertEqual(claims?["role"] as? String, "admin")
        XCTAssertEqual(claims?["exp"] as? Int, 1_800_043_200)
        XCTAssertEqual(opened.stdout.split(separator: "\n").count, 1, "one JSON object on one line")

        // From stdin, from a key file, and from the environment.
        XCTAssertEqual(try run(["open", "--keys", spec, "--now", "1800000001", "-"], stdin: token + "\n").status, 0)
        XCTAssertEqual(try run(["open", "--keys", spec, "--now", "1800000001"], stdin: token).status, 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try (spec + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(try run(["open", "--keys", "@" + file.path, "--now", "1800000001", token]).status, 0)
        XCTAssertEqual(try run(["open", "--now", "1800000001", token], environment: ["SESSION_TOKEN_KEYS": spec]).status, 0)
    }

    func testRejectionsExitOneWithTheirWord() throws {
        let token = try run(["seal", "--keys", spec, "--user", "bob", "--ttl", "60", "--now", "1800000000"])
            .stdout.trimmingCharacters(in: .newlines)
        let expired = try run(["open", "--keys", spec, "--now", "1800000060", token])
        XCTAssertEqual(expired.status, 1)
        XCTAssertEqual(expired.stderr, "expired\n")
        XCTAssertEqual(expired.stdout, "")
        XCTAssertEqual(try run(["open", "--keys", spec, "--now", "1800000060", "--leeway", "5", token]).status, 0)

        let early = try run(["open", "--keys", spec, "--now", "1799999990", token])
        XCTAssertEqual(early.status, 1)
        XCTAssertEqual(early.stderr, "not yet valid\n")

        var bytes = Array(token.utf8)
        bytes[bytes.count / 2] ^= 0x01
        let forged = try run(["open", "--keys", spec, "--now", "1800000000", String(decoding: bytes, as: UTF8.self)])
        XCTAssertEqual(forged.status, 1)
        XCTAssertEqual(forged.stderr, "invalid\n")

        let long = try run(["open", "--keys", spec, "--now", "1800000000", "--max-length", "128", token])
        XCTAssertEqual(long.status, 1)
        XCTAssertEqual(long.stderr, "invalid\n")
    }

    func testUsageAndConfigurationErrorsExitTwoOnOneLine() throws {
        for arguments in [["open", "x"], ["open", "--keys", "k1:short", "x"], ["seal", "--keys", spec],
                          ["seal", "--keys", spec, "--user", "u", "--ttl", "soon"],
                          ["seal", "--keys", spec, "--user", "u", "--claims", "[1]"], ["frobnicate"],
                          ["open", "--keys", "@/nonexistent/file", "x"]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("AAECAw"), "no key text in errors")
        }
    }

    func testInspectSaysNothingIsVerified() throws {
        let token = try run(["seal", "--keys", spec, "--user", "u"]).stdout.trimmingCharacters(in: .newlines)
        let inspected = try run(["inspect", token])
        XCTAssertEqual(inspected.status, 0)
        XCTAssertEqual(inspected.stdout, #"{"alg":"dir","enc":"XC20P","kid":"k1"}"# + "\n")
        XCTAssertTrue(inspected.stderr.contains("NOT verified"))
        XCTAssertEqual(try run(["inspect", "garbage"]).status, 1)
    }

    func testDemoRuns() throws {
        let demo = try run(["demo"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("rejected as invalid"))
        XCTAssertTrue(demo.stdout.contains("rejected as expired"))
        XCTAssertTrue(demo.stdout.contains("user-42"))
    }
}
