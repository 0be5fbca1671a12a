import Foundation
import SessionTokenTestSupport
import XCTest

/// `session-token nextauth decode|encode` end to end: exit codes, standard output and error.
final class NextAuthCLITests: XCTestCase {
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLI.Run {
        try CLI.run(arguments, stdin: stdin, environment: environment)
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path), "no executable at \(CLI.executable.path)")
    }

    func encode(_ extra: [String]) throws -> String {
        let result = try run(["nextauth", "encode", "--claims", #"{"sub":"user-42","name":"Ada"}"#, "--now", "1800000000"] + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    func testEncodeThenDecodeV4AndV5() throws {
        for salt in [[], ["--salt", "authjs.session-token"], ["--salt", "__Secure-authjs.session-token"]] {
            let token = try encode(["--secret", "s3cret", "--max-age", "3600"] + salt)
            let decoded = try run(["nextauth", "decode", "--secret", "s3cret", "--now", "1800000001"] + salt + [token])
            XCTAssertEqual(decoded.status, 0, decoded.stderr)
            XCTAssertEqual(decoded.stdout.split(separator: "\n").count, 1, "one JSON object on one line")
            let claims = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(claims["sub"] as? String, "user-42")
            XCTAssertEqual(claims["name"] as? String, "Ada")
            XCTAssertEqual(claims["iat"] as? Int, 1_800_000_000)
            XCTAssertEqual(claims["exp"] as? Int, 1_800_003_600)
            XCTAssertEqual((claims["jti"] as? String)?.count, 36)
            // From standard input too.
            XCTAssertEqual(try run(["nextauth", "decode", "--secret", "s3cret", "--now", "1800000001"] + salt + ["-"],
                                   stdin: token + "\n").status, 0)
        }
    }

    func testSecretsFromTheEnvironmentAndRotation() throws {
        let env = ["NA_TEST_OLD": "old-secret", "NA_TEST_NEW": "new-secret"]
        let old = try run(["nextauth", "encode", "--secret-env", "NA_TEST_OLD", "--salt", "authjs.session-token",
                           "--claims", #"{"sub":"u"}"#, "--now", "1800000000"], environment: env)
        XCTAssertEqual(old.status, 0, old.stderr)
        let token = old.stdout.trimmingCharacters(in: .newlines)
        // Rotated: the new secret first, the old one still decodes its tokens through the kid.
        let rotated = try run(["nextauth", "decode", "--secret-env", "NA_TEST_NEW", "--secret-env", "NA_TEST_OLD",
                               "--salt", "authjs.session-token", "--now", "1800000000", token], environment: env)
        XCTAssertEqual(rotated.status, 0, rotated.stderr)
        XCTAssertTrue(rotated.stdout.contains(#""sub":"u""#), rotated.stdout)
        let newOnly = try run(["nextauth", "decode", "--secret-env", "NA_TEST_NEW", "--salt", "authjs.session-token",
                               "--now", "1800000000", token], environment: env)
        XCTAssertEqual(newOnly.status, 1)
        XCTAssertEqual(newOnly.stderr, "invalid\n")
    }

    func testRejectionsExitOneWithTheirWord() throws {
        let token = try encode(["--secret", "k", "--max-age", "60"])
        let expired = try run(["nextauth", "decode", "--secret", "k", "--now", "1800000075", token])
        XCTAssertEqual(expired.status, 1)
        XCTAssertEqual(expired.stderr, "expired\n")
        XCTAssertEqual(expired.stdout, "")
        XCTAssertEqual(try run(["nextauth", "decode", "--secret", "k", "--now", "1800000074", token]).status, 0, "15 s tolerance")
        XCTAssertEqual(try run(["nextauth", "decode", "--secret", "k", "--now", "1800000074", "--leeway", "0", token]).status, 1)

        let early = try run(["nextauth", "decode", "--secret", "k", "--now", "1799999980", token])
        XCTAssertEqual(early.status, 1)
        XCTAssertEqual(early.stderr, "not yet valid\n")

        var bytes = Array(token.utf8)
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for arguments in [["--secret", "k", String(decoding: bytes, as: UTF8.self)], ["--secret", "other", token],
                          ["--secret", "k", "--salt", "authjs.session-token", token],
                          ["--secret", "k", "--max-length", "128", token], ["--secret", "k", "not-a-token"]] {
            let result = try run(["nextauth", "decode", "--now", "1800000000"] + arguments)
            XCTAssertEqual(result.status, 1, "\(arguments)")
            // Still invalid; what is plainly not a token's shape says so (CLIFirstContactTests).
            let hint = arguments.last == "not-a-token" ? " (hint: a token has 5 parts separated by dots, this has 1)" : ""
            XCTAssertEqual(result.stderr, "invalid\(hint)\n", "\(arguments)")
        }
    }

    func testUsageAndConfigurationErrorsExitTwoOnOneLine() throws {
        for arguments in [["nextauth", "decode", "x"], ["nextauth", "decode", "--secret", "", "x"],
                          ["nextauth", "decode", "--secret-env", "NEXTAUTH_TEST_UNSET_VARIABLE", "x"],
                          ["nextauth", "decode", "--secret", "a", "--secret-env", "HOME", "x"],
                          ["nextauth", "decode", "--secret", "a", "--salt", "bad name", "x"],
                          ["nextauth", "decode", "--secret", "a", "--max-length", "5", "x"],
                          ["nextauth", "encode", "--secret", "a"], ["nextauth", "encode", "--secret", "a", "--claims", "[1]"],
                          ["nextauth", "encode", "--secret", "a", "--claims", "{}", "--max-age", "-5"],
                          ["nextauth", "frobnicate"]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(arguments): \(result.stderr)")
        }
        let secretShown = try run(["nextauth", "decode", "--secret", "hunter2-very-secret", "--secret", "", "x"])
        XCTAssertFalse(secretShown.stderr.contains("hunter2"), secretShown.stderr)
    }

    /// The committed vectors through the command line: independent tokens decode, tampered ones do not.
    func testDecodesIndependentVectors() throws {
        let data = try VectorFiles.data("nextauth/nextauth-vectors.json")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let words = ["valid": "", "invalid": "invalid\n", "expired": "expired\n", "notYetValid": "not yet valid\n"]
        var checked = 0
        for case let vector as [String: Any] in try XCTUnwrap(document["vectors"] as? [Any]) {
            let id = try XCTUnwrap(vector["id"] as? String)
            // A sample: every kind of outcome, both formats, without running the tool 60 times.
            guard ["v4-basic", "v5-http", "v5-https", "v5-rotated-old-secret", "v5-gcm", "v4-tamper-tag",
                   "v5-tamper-ciphertext", "v5-salt-mismatch-http", "v4-exp-tolerance-edge", "v5-iat-future"].contains(id)
            else { continue }
            let format = try XCTUnwrap(vector["format"] as? String)
            let secrets = try XCTUnwrap(vector["secrets"] as? [String])
            let expect = try XCTUnwrap(vector["expect"] as? String)
            var arguments = ["nextauth", "decode", "--now", "\(try XCTUnwrap(vector["now"] as? Int))"]
            for secret in secrets { arguments += ["--secret", secret] }
            if format != "v4" { arguments += ["--salt", format] }
            let result = try run(arguments + [try XCTUnwrap(vector["token"] as? String)])
            XCTAssertEqual(result.status, expect == "valid" ? 0 : 1, id)
            XCTAssertEqual(result.stderr, words[expect], id)
            checked += 1
        }
        XCTAssertEqual(checked, 10)
    }
}

/// `nextauth decode` prints claims a front end (or anyone with the secret) wrote: C1, DEL, ESC
/// and bidi controls come out as JSON escapes.
final class NextAuthCLITerminalSafetyTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path))
    }

    func testDecodeEscapesControlAndBidiCharacters() throws {
        let raw = HostileText.raw(), escaped = HostileText.escaped()
        for salt in [[], ["--salt", "authjs.session-token"]] {
            let encoded = try CLI.run(
                ["nextauth", "encode", "--secret", "s3cret", "--now", "1800000000",
                 "--claims", #"{"sub":"u","name":""# + escaped + #"",""# + escaped + #"":true}"#] + salt)
            XCTAssertEqual(encoded.status, 0, encoded.stderr)
            XCTAssertEqual(HostileText.unsafeScalars(in: encoded.stdout), [])
            let token = encoded.stdout.trimmingCharacters(in: .newlines)
            let decoded = try CLI.run(["nextauth", "decode", "--secret", "s3cret", "--now", "1800000001"] + salt + [token])
            XCTAssertEqual(decoded.status, 0, decoded.stderr)
            XCTAssertEqual(HostileText.unsafeScalars(in: decoded.stdout), [], "\(salt)")
            XCTAssertTrue(decoded.stdout.contains(#""name":""# + escaped + #"""#), decoded.stdout)
            XCTAssertTrue(decoded.stdout.contains(#"""# + escaped + #"":true"#), decoded.stdout)
            let claims = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(claims["name"] as? String, raw)
            XCTAssertEqual(claims[raw] as? Bool, true)
        }
    }
}
