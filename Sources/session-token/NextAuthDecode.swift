import ArgumentParser
import Foundation
import SessionToken
import SessionTokenNextAuth
import SessionTokenInternals

struct NextAuthDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a next-auth session token and print its claims as one JSON object.",
        discussion: "A rejected token prints invalid, expired or not yet valid on stderr and exits 1.")

    @OptionGroup var options: NextAuthOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, parsing: .unconditional, help: "Seconds of clock skew tolerated, 0 to 86400; next-auth itself uses 15.")
    var leeway: Double = NextAuthCodec.defaultClockTolerance

    @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Longest token accepted, in bytes, 128 to 1048576.")
    var maxLength: Int = NextAuthCodec.defaultMaxTokenLength

    func validate() throws {
        try NumberOption.validate(leeway, option: "--leeway", range: 0...86_400)
        try NumberOption.validate(Double(maxLength), option: "--max-length", range: 128...1_048_576)
    }

    @Argument(help: "The token (the cookie value, chunks joined), or - (or nothing) to read it from standard input.")
    var token: String?

    func run() throws {
        let codec = try NextAuthCodec(
            secrets: options.secrets(), format: options.format, clockTolerance: leeway, maxTokenLength: maxLength)
        let text = try Console.readToken(token)
        let hint = TokenShape.hint(for: text, format: .nextAuth)
        do {
            let claims = try codec.decode(text, as: JSONValue.self, at: clock.date)
            Console.output(JSONText.string(claims))
        } catch {
            throw TokenRejected(error: error, hint: hint)
        }
    }
}
