import Foundation
import SessionTokenTestSupport
import XCTest

/// The CLI's words for bad values: one line, exit 2, the same form for every kind of mistake,
/// and never the text of an argument that may be a token or a secret.
final class CLIMessageTests: XCTestCase {
    let spec = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path))
    }

    /// Runs the CLI and checks it failed with exit 2 and exactly `expected` on standard error.
    func assertUsage(
        _ arguments: [String], _ expected: String, environment: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let run = try CLI.run(arguments, environment: environment)
        XCTAssertEqual(run.status, 2, "\(arguments)", file: file, line: line)
        XCTAssertEqual(run.stderr, expected + "\n", "\(arguments)", file: file, line: line)
        XCTAssertEqual(run.stdout, "", file: file, line: line)
    }

    func testLifetimeHasOneMessageForEveryBadValue() throws {
        let message = "--ttl must be more than 0 and at most 10 years: 30d, 12h, 90m, 45s or seconds"
        for ttl in ["0", "-5", "99999999999d", "soon", "nan", "1e400", "3y", ""] {
            try assertUsage(["seal", "--keys", spec, "--user", "u", "--ttl", ttl], message)
        }
    }

    func testNowMustBeAFiniteTimeInRangeForEveryCommand() throws {
        let message = "--now must be a Unix time in seconds from 0 to 253402300799"
        for now in ["nan", "inf", "-1", "1e19", "253402300800", "yesterday"] {
            try assertUsage(["seal", "--keys", spec, "--user", "u", "--now", now], message)
            try assertUsage(["open", "--keys", spec, "--now", now, "x"], message)
        }
    }

    func testSealedTimesAreWholeSeconds() throws {
        let sealed = try CLI.run(["seal", "--keys", spec, "--user", "u", "--ttl", "60", "--now", "1800000000.75"])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        let opened = try CLI.run(["open", "--keys", spec, "--now", "1800000001",
                                  sealed.stdout.trimmingCharacters(in: .newlines)])
        XCTAssertTrue(opened.stdout.contains(#""iat":1800000000,"#), opened.stdout)
        XCTAssertTrue(opened.stdout.contains(#""exp":1800000060"#), opened.stdout)
    }

    func testEmptyUserIsRefused() throws {
        try assertUsage(["seal", "--keys", spec, "--user", ""], "--user must not be empty")
    }

    func testClaimsGoThroughTheStrictReader() throws {
        let notStrict = "--claims is not strict JSON (a trailing comma, a stray character, bad quoting?)"
        for claims in [#"{"a":1,}"#, #"{"a":[null,]}"#, #"{"a":1"#, "{'a':1}", #"{"a":01}"#] {
            try assertUsage(["seal", "--keys", spec, "--user", "u", "--claims", claims], notStrict)
            try assertUsage(["nextauth", "encode", "--secret", "s", "--claims", claims], notStrict)
        }
        try assertUsage(["seal", "--keys", spec, "--user", "u", "--claims", #"{"a":1,"a":2}"#],
                        "--claims has a member name twice")
        try assertUsage(["seal", "--keys", spec, "--user", "u", "--claims", "[1]"],
                        "--claims must be one JSON object")
    }

    func testRegisteredClaimsAreRefusedByBothWriters() throws {
        for name in ["sub", "iat", "exp", "nbf", "jti"] {
            let claims = "{\"\(name)\":1}"
            let message = "--claims must not set \"\(name)\": the command writes it"
            try assertUsage(["seal", "--keys", spec, "--user", "u", "--claims", claims], message)
        }
        for name in ["iat", "exp", "jti"] {
            try assertUsage(["nextauth", "encode", "--secret", "s", "--claims", "{\"\(name)\":1}"],
                            "--claims must not set \"\(name)\": the command writes it")
        }
    }

    func testKeyFilesWithCRLFLineEndingsAreAccepted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("keys")
        try Data((spec + "\r\n").utf8).write(to: file)
        let sealed = try CLI.run(["seal", "--keys", "@" + file.path, "--user", "u"])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        let opened = try CLI.run(["open", "--keys", spec, sealed.stdout.trimmingCharacters(in: .newlines)])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        // A directory is not a key file, and the message says why.
        try assertUsage(["open", "--keys", "@" + directory.path, "x"],
                        "configuration error: cannot read key file \(directory.path): Is a directory")
    }

    func testMissingAndEmptyVariablesAreNamedInOneLine() throws {
        try assertUsage(["open", "x"],
                        "configuration error: environment variable SESSION_TOKEN_KEYS is not set: "
                            + "set it, or pass --keys SPEC or --keys @PATH")
        try assertUsage(["open", "x"], "configuration error: environment variable SESSION_TOKEN_KEYS is empty",
                        environment: ["SESSION_TOKEN_KEYS": ""])
        try assertUsage(["derive", "--secret-env", "ST_TEST_UNSET", "--purpose", "p"],
                        "configuration error: environment variable ST_TEST_UNSET is not set")
        try assertUsage(["derive", "--secret-env", "ST_TEST_EMPTY", "--purpose", "p"],
                        "configuration error: environment variable ST_TEST_EMPTY is empty",
                        environment: ["ST_TEST_EMPTY": ""])
    }

    func testForceAloneIsRefused() throws {
        try assertUsage(["rotate", "--keys", spec, "--force"], "--force goes with --retire")
    }

    func testEarlyRetireShowsTheTimeAsISO8601AndUnix() throws {
        let rotated = try CLI.run(["rotate", "--keys", spec, "--id", "k2", "--now", "1800000100"])
            .stdout.trimmingCharacters(in: .newlines)
        try assertUsage(["rotate", "--keys", rotated, "--retire", "k1", "--now", "1800000200"],
                        "configuration error: cannot retire key k1 before 2027-02-14T08:01:40Z (unix 1802592100): "
                            + "tokens it sealed may still be live")
    }

    /// A token or key pasted where the tool expects nothing is not repeated back: shell history
    /// and CI logs keep standard error.
    func testStrayArgumentsAreNotEchoed() throws {
        let token = try CLI.run(["seal", "--keys", spec, "--user", "u"]).stdout.trimmingCharacters(in: .newlines)
        for arguments in [["open", "--keys", spec, token, token], ["keygen", token], ["seal", token],
                          ["open", "--keys", spec, "--leeway", token, token]] {
            let run = try CLI.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments)")
            XCTAssertFalse(run.stderr.contains(token.prefix(12)), run.stderr)
            XCTAssertFalse(run.stderr.contains("AAECAw"), run.stderr)
            XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
        }
        let stray = try CLI.run(["open", "--keys", spec, token, "eyJhbGciOiJkaXIi"])
        XCTAssertEqual(stray.stderr, "Unexpected argument (value not shown)\n")
        // The tool's own words stay quoted.
        let missing = try CLI.run(["derive", "--secret-env", "X"])
        XCTAssertEqual(missing.stderr, "Missing expected argument '--purpose <purpose>'\n")
    }

    /// `inspect` prints attacker-written text: controls and bidi overrides come out escaped,
    /// and the output is still JSON with the same strings.
    func testInspectEscapesControlAndBidiCharacters() throws {
        let header = "{\"alg\":\"dir\",\t\"enc\":\"XC20P\",\"kid\":\"a\u{202E}b\u{0085}c\u{2066}d\u{200F}e\u{061C}f\u{007F}g\"}"
        let segment = Data(header.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let run = try CLI.run(["inspect", segment + "..AAAA.AAAA.AAAA"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, #"{"alg":"dir", "enc":"XC20P","kid":"a\u202eb\u0085c\u2066d\u200fe\u061cf\u007fg"}"# + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: String]
        XCTAssertEqual(parsed?["kid"], "a\u{202E}b\u{0085}c\u{2066}d\u{200F}e\u{061C}f\u{007F}g")
        XCTAssertFalse(run.stdout.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x85 })
    }
}
