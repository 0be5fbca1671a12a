import ArgumentParser
import Foundation
import SessionToken
import SessionTokenInternals

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A short end-to-end tour with a throwaway key.")

    func run() throws {
        let key = try SessionKey.generate(id: "demo")
        let sealer = try SessionSealer(keys: KeyRing(primary: key))
        Console.output("1. A throwaway key (its bytes are never shown): \(key)")

        let token = try sealer.seal(subject: "user-42").token
        Console.output("2. Sealed a session for user-42 (\(token.utf8.count) bytes):\n   \(token)")

        let header = try UnverifiedHeader(token: token)
        Console.output("3. Its header, readable by anyone and not trusted by itself: \(header.json)")

        let session = try sealer.open(token)
        let (_, claims) = try sealer.open(token, decoding: JSONValue.self)
        Console.output("4. Opened with key \(session.keyID): \(JSONText.string(claims))")
        let expiry = ISO8601DateFormatter().string(from: session.expiresAt)
        let days = Int((session.expiresAt.timeIntervalSinceNow / 86_400).rounded())
        Console.output("   user \(session.subject ?? "?"), expires \(expiry) (in \(days) days)")

        var bytes = Array(token.utf8)
        let middle = bytes.count / 2
        bytes[middle] = bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = String(decoding: bytes, as: UTF8.self)
        do {
            _ = try sealer.open(tampered)
            Console.output("5. A one-character change was accepted: this must never happen")
            throw ExitCode.failure
        } catch let error as SessionTokenError {
            Console.output("5. Changed one character (position \(middle)): rejected as \(error)")
        }

        let later = session.expiresAt.addingTimeInterval(1)
        do {
            _ = try sealer.open(token, at: later)
        } catch {
            Console.output("6. The same token one second after its expiry: rejected as \(error)")
        }
    }
}
