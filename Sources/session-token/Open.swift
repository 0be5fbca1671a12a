import ArgumentParser
import Foundation
import SessionToken
import SessionTokenInternals
import SessionTokenRevocation

struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a token and print its claims as one JSON object.",
        discussion: """
            A rejected token prints invalid, expired, not yet valid or (with --revocations) revoked on \
            stderr and exits 1; invalid carries a hint when the input is plainly not a token's shape \
            (a Bearer prefix, whitespace around it, not five parts).
            """)

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, parsing: .unconditional, help: "Seconds of clock skew tolerated, 0 to 86400.")
    var leeway: Double = 0

    @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Longest token accepted, in bytes.")
    var maxLength: Int = SessionSealer.defaultMaxTokenLength

    @Option(name: .long, help: "Also check the revocations in this store: \(RevocationStoreAddress.help)")
    var revocations: String?

    func validate() throws {
        try NumberOption.validate(leeway, option: "--leeway", range: 0...86_400)
        try NumberOption.validate(Double(maxLength), option: "--max-length", range: 128...Double(SessionSealer.maxTokenLengthLimit))
    }

    @Argument(help: "The token, or - (or nothing) to read it from standard input.")
    var token: String?

    func run() async throws {
        let sealer = try SessionSealer(keys: keyOptions.keyRing(), leeway: leeway, maxTokenLength: maxLength)
        let text = try Console.readToken(token)
        let hint = TokenShape.hint(for: text, format: .native)
        let now = clock.date
        var revoked = RevocationSet.empty
        if let revocations {
            let stored = try await RevocationStoreAddress.using(revocations) { try await $0.revocations(at: now) }
            revoked = RevocationSet(stored.revocations, at: now)
        }
        do throws(SessionTokenError) {
            // The library's own path: authenticate, check the times, check revocation, decode.
            let (_, claims) = try sealer.open(text, decoding: JSONValue.self, at: now, revocations: revoked)
            Console.output(JSONText.string(claims))
        } catch {
            throw TokenRejected(error: error, hint: hint)
        }
    }
}
