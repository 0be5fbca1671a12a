import Foundation
import SessionTokenTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a new user meets first: a mistyped subcommand or option is named with the closest
/// valid one, a bad value gets the valid choices, a command waiting on the terminal says so, a
/// pasted token with the wrong shape gets a hint, and rotation errors name key IDs; and none of
/// it repeats a value that could be a token or a key.
final class CLIFirstContactTests: XCTestCase {
    let spec = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    let otherSpec = "k9:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8"
    let keyText = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    static let subcommands = "keygen, seal, open, inspect, rotate, revoke, revocations, derive, nextauth, cookie, demo"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path))
    }

    /// Runs the CLI and checks it failed with `status` and exactly `expected` on standard error.
    func assertFails(
        _ arguments: [String], _ expected: String, status: Int32 = 2, stdin: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let run = try CLI.run(arguments, stdin: stdin)
        XCTAssertEqual(run.status, status, "\(arguments)", file: file, line: line)
        XCTAssertEqual(run.stderr, expected + "\n", "\(arguments)", file: file, line: line)
        XCTAssertEqual(run.stdout, "", file: file, line: line)
    }

    func seal(_ user: String = "alice", keys: String? = nil) throws -> String {
        let sealed = try CLI.run(["seal", "--keys", keys ?? spec, "--user", user, "--now", "1800000000"])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        return sealed.stdout.trimmingCharacters(in: .newlines)
    }

    // MARK: - Valid choices, never the value given

    func testABadEncryptionListsTheValidValues() throws {
        let message = "The value (value not shown) is invalid for '--enc <enc>'. Please provide one of 'XC20P' and 'A256GCM'."
        try assertFails(["keygen", "--enc", "aes"], message)
        try assertFails(["rotate", "--keys", spec, "--enc", "xchacha"], message)
        // A key pasted as the value is not repeated, the valid values still are.
        try assertFails(["keygen", "--enc", keyText], message)
        // Nor is a value holding quotes, which could shift what a quote-counting redaction hides.
        try assertFails(["keygen", "--enc", "se'cr'et"], message)
    }

    func testABadNumberNamesTheOptionAndWhatItTakes() throws {
        try assertFails(["open", "--keys", spec, "--leeway", "s3cr'et", "x"],
                        "The value (value not shown) is invalid for '--leeway <leeway>'. "
                            + "Expected: Seconds of clock skew tolerated, 0 to 86400.")
    }

    func testAFlagGivenAValueDoesNotRepeatIt() throws {
        try assertFails(["rotate", "--keys", spec, "--force=\(keyText)"],
                        "The option '--force' does not take a value (value not shown)")
    }

    // MARK: - Unknown subcommands and options

    func testAMistypedSubcommandIsNamedWithTheClosestOne() throws {
        try assertFails(["opne"], "Unknown subcommand 'opne'. Did you mean 'open'?")
        try assertFails(["revok", "--store", "sqlite:x", "--user", "u"], "Unknown subcommand 'revok'. Did you mean 'revoke'?")
        try assertFails(["key"], "Unknown subcommand 'key'. Did you mean 'keygen'?")
        try assertFails(["nextauth", "decod", "x"], "Unknown subcommand 'decod' of 'nextauth'. Did you mean 'decode'?")
        // The subcommand comes first: its options are not "unknown options" of the root.
        try assertFails(["opne", "--keys", spec, "x"], "Unknown subcommand 'opne'. Did you mean 'open'?")
        // Nothing close: the valid subcommands instead.
        try assertFails(["frobnicate"], "Unknown subcommand 'frobnicate'. The subcommands are \(Self.subcommands).")
        try assertFails(["cookie", "bake"], "Unknown subcommand 'bake' of 'cookie'. The subcommands are check-redirect, parse.")
    }

    func testATokenOrKeyWhereASubcommandBelongsIsNotRepeated() throws {
        let token = try seal()
        for stray in [token, spec, keyText, "k1", "user@example.com", String(repeating: "a", count: 33), "-"] {
            try assertFails([stray], "Unknown subcommand (value not shown). The subcommands are \(Self.subcommands).")
        }
        try assertFails(["nextauth", token], "Unknown subcommand of 'nextauth' (value not shown). The subcommands are decode, encode.")
    }

    func testAnUnknownOptionIsNamedOnlyWhenItLooksLikeAWord() throws {
        try assertFails(["open", "--kyes", spec, "x"], "Unknown option '--kyes'. Did you mean '--keys'?")
        try assertFails(["open", "--frobnicate", "x"], "Unknown option '--frobnicate'")
        // Dashes in front of a key or a token do not make it an option name to repeat.
        try assertFails(["open", "--" + keyText, "x"], "Unknown option (value not shown)")
        try assertFails(["open", "--k1:" + keyText, "x"], "Unknown option (value not shown)")
        try assertFails(["open", "---" + keyText, "x"], "Invalid option (value not shown)")
    }

    // MARK: - Waiting on a terminal

    func testOpenWithoutATokenOnATerminalSaysWhatItWaitsFor() throws {
        let token = try seal()
        let (firstLine, run) = try runOnTerminal(["open", "--keys", spec, "--now", "1800000001"], typing: token)
        XCTAssertEqual(firstLine,
                       "reading a token from standard input; paste it and press Ctrl-D, or pass it as an argument\n",
                       "said before the tool waits, not after")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains(#""sub":"alice""#), run.stdout)
        XCTAssertEqual(run.stderr, firstLine)

        let (inspectLine, inspected) = try runOnTerminal(["inspect"], typing: token)
        XCTAssertTrue(inspectLine.hasPrefix("reading a token from standard input"), inspectLine)
        XCTAssertEqual(inspected.status, 0, inspected.stderr)
        let (cookieLine, parsed) = try runOnTerminal(["cookie", "parse"], typing: "a=1")
        XCTAssertEqual(cookieLine, "reading a Cookie header from standard input; paste it and press Ctrl-D\n")
        XCTAssertEqual(parsed.stdout, #"{"a":"1"}"# + "\n")
    }

    func testPipedInputGetsNoNote() throws {
        let token = try seal()
        let piped = try CLI.run(["open", "--keys", spec, "--now", "1800000001"], stdin: token)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stderr, "")
        XCTAssertEqual(try CLI.run(["cookie", "parse"], stdin: "a=1").stderr, "")
    }

    // MARK: - invalid, with a hint about the input's shape

    func testInvalidInputOfTheWrongShapeGetsAHint() throws {
        let token = try seal()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        // (input, hint, whether inspect refuses it too: it reads the first part only)
        let cases: [(String, String, Bool)] = [
            ("Bearer " + token, "remove the \"Bearer \" prefix and pass the token alone", true),
            ("bearer " + token, "remove the \"Bearer \" prefix and pass the token alone", true),
            (token + " ", "remove the whitespace around it", false),
            ("\t" + token, "remove the whitespace around it", true),
            ("Authorization: Bearer " + token, "pass the token alone, not a header line (NAME: VALUE)", true),
            (String(token.prefix(20)) + "\n" + String(token.dropFirst(20)), "it has whitespace inside: was it wrapped across lines?", true),
            ("session=" + token, "pass the cookie's value alone, not NAME=VALUE", true),
            (parts.prefix(3).joined(separator: "."), "a token has 5 parts separated by dots, this has 3, as a signed JWT has", false),
            (parts.prefix(4).joined(separator: "."), "a token has 5 parts separated by dots, this has 4", false),
            (token + ".x", "a token has 5 parts separated by dots, this has 6", false),
        ]
        for (input, hint, inspectRefuses) in cases {
            // The same words whatever the keys: the hint reads the input alone.
            for keys in [spec, otherSpec] {
                try assertFails(["open", "--keys", keys, "--now", "1800000001", input], "invalid (hint: \(hint))", status: 1)
            }
            if inspectRefuses {
                try assertFails(["inspect", input], "invalid (hint: \(hint))", status: 1)
            }
        }
        try assertFails(["open", "--keys", spec], "invalid (hint: the input is empty)", status: 1, stdin: "")
        try assertFails(["open", "--keys", spec, "--now", "1800000001"],
                        "invalid (hint: remove the \"Bearer \" prefix and pass the token alone)", status: 1,
                        stdin: "Bearer " + token + "\n")
    }

    func testWellShapedButInvalidTokensGetNoHint() throws {
        let token = try seal()
        // Another ring's token, and one whose last character changed: a hint here would say
        // something the keys decided.
        try assertFails(["open", "--keys", otherSpec, "--now", "1800000001", token], "invalid", status: 1)
        let changed = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        try assertFails(["open", "--keys", spec, "--now", "1800000001", changed], "invalid", status: 1)
        // Other outcomes keep their one word, whatever the shape.
        try assertFails(["open", "--keys", spec, "--now", "1900000000", token], "expired", status: 1)
    }

    func testNextAuthDecodeHintsAtChunksAndPrefixes() throws {
        let decode = ["nextauth", "decode", "--secret", "s3cret", "--now", "1800000001"]
        func encode(_ claims: String) throws -> String {
            let encoded = try CLI.run(["nextauth", "encode", "--secret", "s3cret", "--claims", claims, "--now", "1800000000"])
            XCTAssertEqual(encoded.status, 0, encoded.stderr)
            return encoded.stdout.trimmingCharacters(in: .newlines)
        }
        let token = try encode(#"{"sub":"u"}"#)
        try assertFails(decode + ["Bearer " + token], "invalid (hint: remove the \"Bearer \" prefix and pass the token alone)", status: 1)
        try assertFails(decode + [token + " "], "invalid (hint: remove the whitespace around it)", status: 1)
        try assertFails(decode + ["x.y.z"], "invalid (hint: a token has 5 parts separated by dots, this has 3, as a signed JWT has)", status: 1)
        // The first of the cookies next-auth splits a long token over (3,933 bytes each).
        let long = try encode(#"{"sub":"u","picture":""# + String(repeating: "p", count: 6_000) + #""}"#)
        let chunk = String(long.prefix(3_933))
        try assertFails(decode + [chunk],
                        "invalid (hint: a token has 5 parts separated by dots, this has \(chunk.filter { $0 == "." }.count + 1); "
                            + "a long next-auth token is split over cookies NAME.0, NAME.1, ...: join their values in order)",
                        status: 1)
        XCTAssertEqual(try CLI.run(decode + [long]).status, 0, "the whole token decodes")
        try assertFails(["nextauth", "decode", "--secret", "other", "--now", "1800000001", token], "invalid", status: 1)
    }

    // MARK: - Key IDs, not positions

    func testRotationErrorsNameTheKeyIDsTheUserGave() throws {
        let rotated = try CLI.run(["rotate", "--keys", spec, "--id", "k2", "--now", "1800000100"])
            .stdout.trimmingCharacters(in: .newlines)
        try assertFails(["rotate", "--keys", rotated, "--retire", "k1", "--now", "1800000200"],
                        "configuration error: cannot retire key k1 before 2027-02-14T08:01:40Z (unix 1802592100): "
                            + "tokens it sealed may still be live")
        let unmarked = rotated.replacingOccurrences(of: "@1800000100", with: "")
        try assertFails(["rotate", "--keys", unmarked, "--retire", "k1"],
                        "configuration error: cannot retire key k1 safely: when it stopped sealing is not known "
                            + "(use force after checking)")
        try assertFails(["rotate", "--keys", rotated, "--retire", "k2"],
                        "configuration error: cannot retire key k2: it is the primary; promote another key first (its accepted keys: k1)")
        try assertFails(["rotate", "--keys", spec, "--id", "k1"], "configuration error: --id k1 is already in the ring (the primary key): choose another ID")
        try assertFails(["rotate", "--keys", rotated, "--id", "k1"], "configuration error: --id k1 is already in the ring (an accepted key): choose another ID")
        let retired = try CLI.run(["rotate", "--keys", rotated, "--retire", "k1", "--force"]).stdout.trimmingCharacters(in: .newlines)
        try assertFails(["rotate", "--keys", retired, "--id", "k1"], "configuration error: --id k1 is already in the ring (a retired ID): choose another ID")
        try assertFails(["rotate", "--keys", retired, "--promote", "k1"],
                        "configuration error: cannot promote key k1: it is already retired; the ring has no accepted key besides the primary k2")
    }

    func testAnIDTheRingDoesNotHoldIsNotRepeatedButTheChoicesAre() throws {
        let rotated = try CLI.run(["rotate", "--keys", spec, "--add-only", "--id", "k2"]).stdout.trimmingCharacters(in: .newlines)
        try assertFails(["rotate", "--keys", rotated, "--promote", keyText],
                        "configuration error: cannot promote: the ring holds no key with that ID; its accepted keys: k2")
        try assertFails(["rotate", "--keys", spec, "--retire", keyText],
                        "configuration error: cannot retire: the ring holds no key with that ID; the ring has no accepted key besides the primary k1")
    }

    // MARK: - A terminal as standard input

    /// One run with a terminal as standard input.
    struct TerminalRun {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the tool with a pseudo-terminal as standard input, as from an interactive shell:
    /// waits (at most 10 s) for the first line on standard error, then types `input`, a line
    /// feed and Ctrl-D, and returns that first line and the whole run.
    func runOnTerminal(_ arguments: [String], typing input: String) throws -> (firstLine: String, run: TerminalRun) {
        var controller: Int32 = -1, terminal: Int32 = -1
        guard openpty(&controller, &terminal, nil, nil, nil) == 0 else {
            throw XCTSkip("no pseudo-terminal on this machine")
        }
        defer { close(controller) }
        let terminalHandle = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)

        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SESSION_TOKEN_KEYS")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardInput = terminalHandle
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try terminalHandle.close()

        let errors = err.fileHandleForReading.fileDescriptor
        var first: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        while !first.contains(UInt8(ascii: "\n")), Date() < deadline {
            var ready = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = read(errors, &buffer, buffer.count)
            guard count > 0 else { break }
            first += buffer[..<count]
        }
        let typed = Array((input + "\n").utf8) + [0x04]
        XCTAssertEqual(write(controller, typed, typed.count), typed.count)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let rest = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let firstLine = String(decoding: first.prefix { $0 != UInt8(ascii: "\n") } + [UInt8(ascii: "\n")], as: UTF8.self)
        return (first.contains(UInt8(ascii: "\n")) ? firstLine : "",
                TerminalRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: first + rest, as: UTF8.self)))
    }
}
