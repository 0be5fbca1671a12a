import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenSQLite

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

    private func sessionID(of token: String, at time: Int) throws -> String {
        let opened = try run(["open", "--now", String(time), token])
        let claims = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(claims?["sid"] as? String)
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
        let byID = try run(["revoke", "--store", store, "--session", try sessionID(of: bob1, at: t0), "--now", String(t0 + 10)])
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
        let late = t0 + 10 + 2_592_000 + 300 + 1  // the lifetime and the default staleness bound
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

    private func temporaryStore() throws -> (store: String, path: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-revoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("r.sqlite").path
        return ("sqlite:" + path, path, folder)
    }

    /// A stored ID is text anyone who could revoke wrote: `revoke` echoes it and `revocations`
    /// lists it with C1, DEL, ESC and bidi controls as JSON escapes.
    func testRevokeAndRevocationsEscapeStoredText() throws {
        let (store, _, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = HostileText.raw(), escaped = HostileText.escaped()
        let t0 = 1_800_000_000
        let token = try seal(raw, at: t0)

        let revoked = try run(["revoke", "--store", store, "--user", raw, "--now", String(t0 + 10)])
        XCTAssertEqual(revoked.status, 0, revoked.stderr)
        XCTAssertEqual(HostileText.unsafeScalars(in: revoked.stdout), [])
        XCTAssertTrue(revoked.stdout.contains(#""value":""# + escaped + #"""#), revoked.stdout)
        let session = try run(["revoke", "--store", store, "--jti", "j" + raw, "--now", String(t0 + 10)])
        XCTAssertEqual(session.status, 0, session.stderr)
        XCTAssertEqual(HostileText.unsafeScalars(in: session.stdout), [])

        let listed = try run(["revocations", "--store", store, "--now", String(t0 + 20)])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(HostileText.unsafeScalars(in: listed.stdout), [])
        let lines = listed.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            XCTAssertTrue(object["value"] == raw || object["value"] == "j" + raw, String(line))
        }
        XCTAssertTrue(listed.stdout.contains(#""value":"j"# + escaped + #"""#), listed.stdout)

        // The stored ID is the one the token carries: the escaping is on output only.
        let opened = try run(["open", "--revocations", store, "--now", String(t0 + 20), token])
        XCTAssertEqual(opened.status, 1)
        XCTAssertEqual(opened.stderr, "revoked\n")
    }

    /// A store's own error messages can carry text someone put in the database (here a trigger's
    /// message): standard error escapes it as standard output does.
    func testStoreErrorsAreEscaped() throws {
        let (store, path, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(try run(["revocations", "--store", store]).status, 0)
        try SQLiteConnection(path: path).execute(
            """
            CREATE TRIGGER refuse BEFORE INSERT ON session_token_revocations
            BEGIN SELECT RAISE(ABORT, '\(HostileText.raw())'); END;
            """)
        let refused = try run(["revoke", "--store", store, "--user", "alice"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(HostileText.unsafeScalars(in: refused.stderr), [])
        XCTAssertEqual(refused.stderr, "revocation store failed: \(HostileText.escaped())\n")
    }
}
