import Foundation
import SessionTokenTestSupport
import XCTest

/// `session-token revoke`, `revocations` and `open --revocations` on a SQLite file.
final class RevocationCLITests: XCTestCase {
    static let keys = "k1:" + String(repeating: "A", count: 42) + "E"

    private func run(_ arguments: [String]) throws -> CLI.Run {
        try CLI.run(arguments, environment: ["SESSION_TOKEN_KEYS": Self.keys])
    }

    private func seal(_ user: String, at time: Int) throws -> String {
        let sealed = try run(["seal", "--user", user, "--now", String(time)])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        return sealed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func jti(of token: String, at time: Int) throws -> String {
        let opened = try run(["open", "--now", String(time), token])
        let claims = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(claims?["jti"] as? String)
    }

    func testRevokedTokensReportRevokedAndOthersStillOpen() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-revoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = "sqlite:" + folder.appendingPathComponent("r.sqlite").path
        let t0 = 1_800_000_000
        let alice = try seal("alice", at: t0)
        let bob1 = try seal("bob", at: t0)
        let bob2 = try seal("bob", at: t0)
        let carol = try seal("carol", at: t0)

        let byUser = try run(["revoke", "--store", store, "--user", "alice", "--now", String(t0 + 10)])
        XCTAssertEqual(byUser.status, 0, byUser.stderr)
        XCTAssertTrue(byUser.stdout.contains(#""kind":"user""#))
        let byID = try run(["revoke", "--store", store, "--jti", try jti(of: bob1, at: t0), "--now", String(t0 + 10)])
        XCTAssertEqual(byID.status, 0, byID.stderr)

        for revoked in [alice, bob1] {
            let opened = try run(["open", "--revocations", store, "--now", String(t0 + 20), revoked])
            XCTAssertEqual(opened.status, 1)
            XCTAssertEqual(opened.stderr, "revoked\n")
            XCTAssertEqual(opened.stdout, "")
        }
        for valid in [bob2, carol, try seal("alice", at: t0 + 11)] {
            let opened = try run(["open", "--revocations", store, "--now", String(t0 + 20), valid])
            XCTAssertEqual(opened.status, 0, opened.stderr)
        }
        // Without --revocations the store is not consulted.
        XCTAssertEqual(try run(["open", "--now", String(t0 + 20), alice]).status, 0)
        // A forged token is invalid, not revoked: authentication comes first.
        var forged = Array(alice.utf8)
        forged[forged.count - 3] = forged[forged.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let opened = try run(["open", "--revocations", store, "--now", String(t0 + 20), String(decoding: forged, as: UTF8.self)])
        XCTAssertEqual(opened.stderr, "invalid\n")

        let listed = try run(["revocations", "--store", store, "--now", String(t0 + 20)])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 2)
        XCTAssertEqual(try run(["revocations", "--store", store, "--purge", "--now", String(t0 + 20)]).stdout, "purged 0\n")
        let late = t0 + 10 + 2_592_000 + 1
        XCTAssertEqual(try run(["revocations", "--store", store, "--purge", "--now", String(late)]).stdout, "purged 2\n")
        XCTAssertEqual(try run(["revocations", "--store", store, "--now", String(t0 + 20)]).stdout, "")
    }

    func testBadArgumentsAreUsageErrorsThatEchoNoPassword() throws {
        let cases: [[String]] = [
            ["revoke", "--store", "sqlite:/tmp/x.sqlite"],
            ["revoke", "--store", "sqlite:/tmp/x.sqlite", "--user", "a", "--jti", "b"],
            ["revoke", "--store", "sqlite:/tmp/x.sqlite", "--jti", "b", "--before", "0"],
            ["revoke", "--store", "sqlite:/tmp/x.sqlite", "--user", "a", "--before", "yesterday"],
            ["revoke", "--store", "sqlite:/tmp/x.sqlite", "--user", ""],
            ["revoke", "--store", "mysql://h/db", "--user", "a"],
            ["revoke", "--store", "sqlite:", "--user", "a"],
            ["revoke", "--store", "postgres://admin:hunter2@127.0.0.1/db", "--user", "a"],
            ["revocations", "--store", "sqlite:/nonexistent-dir/r.sqlite"],
        ]
        for arguments in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("hunter2"), "\(arguments)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result.stderr)")
        }
    }
}
