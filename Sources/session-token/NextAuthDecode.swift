import ArgumentParser
import Foundation
import SessionToken
import SessionTokenNextAuth

struct NextAuthDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a next-auth session token and print its claims as one JSON object.",
        discussion: "A rejected token prints invalid, expired or not yet valid on stderr and exits 1.")

    @OptionGroup var options: NextAuthOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "Seconds of clock skew tolerated (default 15, as next-auth).")
    var leeway: Double = NextAuthCodec.defaultClockTolerance

    @Option(name: .customLong("max-length"), help: "Longest token accepted, in bytes (default 16384: several cookie chunks).")
    var maxLength: Int = NextAuthCodec.defaultMaxTokenLength

    @Argument(help: "The token (the cookie value, chunks joined), or - (or nothing) to read it from standard input.")
    var token: String?

    func run() throws {
        let codec = try NextAuthCodec(
            secrets: options.secrets(), format: options.format, clockTolerance: leeway, maxTokenLength: maxLength)
        let text = try Console.readToken(token)
        do {
            let claims = try codec.decode(text, as: AnyJSON.self, at: clock.date)
            print(claims.jsonText)
        } catch {
            throw TokenRejected(error: error)
        }
    }
}
