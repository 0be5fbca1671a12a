import Foundation
import SessionToken
import SessionTokenTestSupport
import XCTest

/// `keygen --enc` and `rotate --enc` end to end: A256GCM keys made, sealed with and rotated to
/// from the command line. Skipped where libsodium reports no AES-256-GCM support (no AES-NI),
/// as the rest of the A256GCM tests are.
final class AESGCMKeyCLITests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TokenEncryption.aes256GCM.isAvailable, "AES-256-GCM is not available on this CPU (no AES-NI)")
    }

    func testCLIKeygenAndRotateTakeEnc() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLI.executable.path), "no executable at \(CLI.executable.path)")
        let gcm = try CLI.run(["keygen", "--id", "g", "--enc", "A256GCM"])
        XCTAssertEqual(gcm.status, 0, gcm.stderr)
        let entry = gcm.stdout.trimmingCharacters(in: .newlines)
        XCTAssertTrue(entry.hasPrefix("g:A256GCM:"), entry)
        XCTAssertEqual(entry.count, "g:A256GCM:".count + 43)
        XCTAssertEqual(try KeyRing(spec: entry).primary.encryption, .aes256GCM)
        let xc = try CLI.run(["keygen", "--id", "x", "--enc", "XC20P"]).stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(xc.count, "x:".count + 43)
        XCTAssertNotEqual(try CLI.run(["keygen", "--enc", "AES"]).status, 0)

        // Seal and open with an A256GCM spec.
        let sealed = try CLI.run(["seal", "--keys", entry, "--user", "alice", "--now", "1800000000"])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        let token = sealed.stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(try UnverifiedHeader(token: token).encryption, "A256GCM")
        XCTAssertEqual(try CLI.run(["open", "--keys", entry, "--now", "1800000001", token]).status, 0)

        // Rotation to an A256GCM key from an XC20P ring.
        let rotated = try CLI.run(["rotate", "--keys", xc, "--id", "g2", "--enc", "A256GCM", "--now", "1800000000"])
        XCTAssertEqual(rotated.status, 0, rotated.stderr)
        let ring = try KeyRing(spec: rotated.stdout.trimmingCharacters(in: .newlines))
        XCTAssertEqual(ring.primary.id, "g2")
        XCTAssertEqual(ring.primary.encryption, .aes256GCM)
        XCTAssertEqual(ring.keys[1].encryption, .xchacha20Poly1305)
        XCTAssertNotEqual(try CLI.run(["rotate", "--keys", rotated.stdout.trimmingCharacters(in: .newlines),
                                       "--promote", "x", "--enc", "A256GCM"]).status, 0)
    }
}
