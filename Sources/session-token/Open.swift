import ArgumentParser
import Foundation
import SessionToken

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a token and print its claims as one JSON object.",
        discussion: "A rejected token prints invalid, expired or not yet valid on stderr and exits 1.")

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "Seconds of clock skew tolerated (default 0).")
    var leeway: Double = 0

    @Option(name: .customLong("max-length"), help: "Longest token accepted, in bytes (default 4096).")
    var maxLength: Int = SessionSealer.defaultMaxTokenLength

    @Argument(help: "The token, or - (or nothing) to read it from standard input.")
    var token: String?

    func run() throws {
        let sealer = try SessionSealer(keys: keyOptions.keyRing(), leeway: leeway, maxTokenLength: maxLength)
        let text = try Console.readToken(token)
        do {
            let (_, claims) = try sealer.open(text, decoding: AnyJSON.self, at: clock.date)
            print(claims.jsonText)
        } catch {
            throw TokenRejected(error: error)
        }
    }
}
