import Foundation
import SessionTokenTestSupport
import XCTest

import SessionToken
@testable import SessionTokenRevocation

/// The revocation example of SessionToken's article "Revocation", run as it is printed there.
final class ReadmeRevocationTests: XCTestCase {
    func testTheExampleSignsTheUserOutEverywhere() async throws {
        var printed: [String] = []
        func print(_ line: String) { printed.append(line) }
        let sealer = try SessionSealer(keys: KeyRing(primary: SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))))
        let token = try sealer.seal(subject: "user-42", at: Date().addingTimeInterval(-60)).token
        XCTAssertNoThrow(try sealer.open(token))

        // --- article begins
        // Once, at start-up: the store, and this node's revocations loaded from it.
        let store = InMemoryRevocationStore()  // SQLiteRevocationStore, PostgresRevocationStore
        let revocations = RevocationService(store: store, sealer: sealer)  // next-auth: (store:codec:)
        try await revocations.start()
        // A long-running service also follows the store: Task { await revocations.run() }

        // "Sign out everywhere": every session of the user that began until now.
        try await revocations.revokeUser("user-42")

        // On every request: in memory, after the token authenticated.
        do {
            let session = try sealer.open(token, revocations: revocations.current)
            print("signed in as \(session.subject ?? "?")")
        } catch {
            print("refused: \(error)")  // refused: revoked
        }
        // --- article ends

        XCTAssertEqual(printed, ["refused: revoked"])
        let later = try sealer.seal(subject: "user-42", at: Date().addingTimeInterval(1)).token
        XCTAssertEqual(try sealer.open(later, at: Date().addingTimeInterval(2), revocations: revocations.current).subject, "user-42")
    }

    func testReadmeShowsTheExampleVerbatim() throws {
        XCTAssertTrue(
            try documentShowsSnippet(
                "Sources/SessionTokenRevocation/Docs.docc/RevokingSessions.md", of: #filePath, begin: "// --- article begins",
                end: "// --- article ends", importing: "SessionToken", "SessionTokenRevocation"),
            "RevokingSessions.md must show this test's snippet exactly as it runs")
    }
}
