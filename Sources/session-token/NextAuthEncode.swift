import ArgumentParser
import Foundation
import SessionToken
import SessionTokenNextAuth

struct NextAuthEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode a session token next-auth accepts and print it.",
        discussion: "The token carries the claims plus iat, exp = iat + max age and a fresh jti (a UUID).")

    @OptionGroup var options: NextAuthOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "The claims as one JSON object, e.g. {\"sub\":\"42\",\"name\":\"Ada\"}; iat, exp and jti are refused.")
    var claims: String

    @Option(name: .customLong("max-age"), parsing: .unconditional, help: "Lifetime: 30d, 12h, 90m, 45s or seconds. Default: 30d.")
    var maxAge: String?

    /// The claims next-auth writes itself, as this command does.
    static let reserved: Set<String> = ["iat", "exp", "jti"]

    func validate() throws {
        try Lifetime.validate(maxAge, option: "--max-age")
    }

    func run() throws {
        let object = try ClaimsOption.parse(claims, reserved: Self.reserved)
        let maxAge = maxAge.flatMap(Lifetime.init)?.seconds ?? NextAuthCodec.defaultMaxAge
        let codec = try NextAuthCodec(secrets: options.secrets(), format: options.format, maxAge: maxAge)
        Console.output(try codec.encode(object, at: clock.date))
    }
}
