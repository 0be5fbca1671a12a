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

    @Option(name: .long, help: "The claims as one JSON object, e.g. {\"sub\":\"42\",\"name\":\"Ada\"}.")
    var claims: String

    @Option(name: .customLong("max-age"), help: "Lifetime in seconds (default 2592000, 30 days).")
    var maxAge: Double = NextAuthCodec.defaultMaxAge

    func run() throws {
        guard let object = try? JSONDecoder().decode(AnyJSON.self, from: Data(claims.utf8)), case .object = object else {
            throw ConfigurationProblem(message: "--claims must be one JSON object")
        }
        let codec = try NextAuthCodec(secrets: options.secrets(), format: options.format, maxAge: maxAge)
        print(try codec.encode(object, at: clock.date))
    }
}
