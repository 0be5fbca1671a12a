import Foundation
import SessionTokenTestSupport
import XCTest

/// `session-token rotate` and `derive` end to end: the rotated spec opens tokens sealed before.
final class CLIRotationTests: XCTestCase {
    let spec = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path))
    }

    func output(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let result = try CLI.run(arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    func testRotateOpensTokensSealedBefore() throws {
        let token = try output(["seal", "--keys", spec, "--user", "alice", "--now", "1800000000"])
        let rotated = try output(["rotate", "--keys", spec, "--id", "k2", "--now", "1800000100"])
        XCTAssertTrue(rotated.hasPrefix("k2:"), rotated)
        XCTAssertTrue(rotated.hasSuffix(",\(spec)@1800000100"), rotated)
        let opened = try output(["open", "--keys", rotated, "--now", "1800000200", token])
        XCTAssertTrue(opened.contains("\"sub\":\"alice\""))
        let newToken = try output(["seal", "--keys", rotated, "--user", "bob", "--now", "1800000200"])
        XCTAssertEqual(try output(["inspect", newToken]), #"{"alg":"dir","enc":"XC20P","kid":"k2"}"#)

        // Retiring too early is refused; after the longest token life it goes through.
        let early = try CLI.run(["rotate", "--keys", rotated, "--retire", "k1", "--now", "1800000200"])
        XCTAssertEqual(early.status, 2)
        XCTAssertTrue(early.stderr.contains("may still be live"), early.stderr)
        let retired = try output(["rotate", "--keys", rotated, "--retire", "k1", "--now", "1802592100"])
        XCTAssertTrue(retired.hasSuffix(",k1:retired"), retired)
        let refused = try CLI.run(["open", "--keys", retired, "--now", "1800000200", token])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "invalid\n")
        XCTAssertEqual(try CLI.run(["open", "--keys", retired, "--now", "1800000200", newToken]).status, 0)
    }

    func testStagedRotation() throws {
        let staged = try output(["rotate", "--keys", spec, "--add-only", "--id", "k2"])
        XCTAssertTrue(staged.hasPrefix(spec + ",k2:"), staged)
        let promoted = try output(["rotate", "--keys", staged, "--promote", "k2", "--now", "1800000000"])
        XCTAssertTrue(promoted.hasPrefix("k2:"), promoted)
        XCTAssertTrue(promoted.hasSuffix(",\(spec)@1800000000"), promoted)
        XCTAssertEqual(try CLI.run(["rotate", "--keys", spec, "--promote", "nope"]).status, 2)
        XCTAssertEqual(try CLI.run(["rotate", "--keys", spec, "--promote", "k1", "--retire", "k1"]).status, 2)
    }

    func testDeriveReadsTheSecretFromTheEnvironmentOnly() throws {
        let secret = String(repeating: "0123456789abcdef", count: 3)
        let entry = try output(["derive", "--secret-env", "MY_SECRET", "--purpose", "sessions", "--id", "s1"],
                               environment: ["MY_SECRET": secret])
        XCTAssertTrue(entry.hasPrefix("s1:"))
        XCTAssertEqual(entry, try output(["derive", "--secret-env", "MY_SECRET", "--purpose", "sessions", "--id", "s1"],
                                         environment: ["MY_SECRET": secret]), "deterministic")
        XCTAssertNotEqual(entry, try output(["derive", "--secret-env", "MY_SECRET", "--purpose", "csrf", "--id", "s1"],
                                            environment: ["MY_SECRET": secret]))
        let token = try output(["seal", "--keys", entry, "--user", "u"])
        XCTAssertEqual(try CLI.run(["open", "--keys", entry, token]).status, 0)
        let short = try CLI.run(["derive", "--secret-env", "MY_SECRET", "--purpose", "p"], environment: ["MY_SECRET": "short"])
        XCTAssertEqual(short.status, 2)
        XCTAssertFalse(short.stderr.contains("short\n") && short.stderr.hasPrefix("short"))
        XCTAssertEqual(try CLI.run(["derive", "--secret-env", "UNSET_\(UUID().uuidString.prefix(6))", "--purpose", "p"]).status, 2)
        XCTAssertNotEqual(try CLI.run(["derive", "--secret", secret, "--purpose", "p"]).status, 0, "no secret on the command line")
    }
}
