import ArgumentParser
import Foundation
import SessionToken

struct Seal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seal a token for a user and print it.")

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "The user ID (the sub claim).")
    var user: String

    @Option(name: .long, help: "Lifetime: 30d, 12h, 90m, 45s or seconds (default 30d).")
    var ttl: Lifetime?

    @Option(name: .long, help: "Custom claims as one JSON object.")
    var claims: String?

    func run() throws {
        let sealer = try SessionSealer(keys: keyOptions.keyRing(), lifetime: ttl?.seconds ?? SessionSealer.defaultLifetime)
        let token: String
        if let claims {
            guard let custom = try? JSONDecoder().decode(AnyJSON.self, from: Data(claims.utf8)),
                case .object = custom
            else { throw ConfigurationProblem(message: "--claims must be one JSON object") }
            token = try sealer.seal(subject: user, custom: custom, at: clock.date)
        } else {
            token = try sealer.seal(subject: user, at: clock.date)
        }
        // The sealed token is this command's output (it is what a cookie carries, not a key).
        print(token)
    }
}
