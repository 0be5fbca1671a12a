import ArgumentParser
import Foundation
import SessionToken

struct Seal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seal a token for a user and print it.")

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "The user ID (the sub claim); not empty.")
    var user: String

    @Option(name: .long, parsing: .unconditional, help: "Lifetime: 30d, 12h, 90m, 45s or seconds. Default: 30d.")
    var ttl: String?

    @Option(name: .long, help: "Custom claims as one JSON object; registered claims (sub, iat, exp...) are refused.")
    var claims: String?

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        try Lifetime.validate(ttl, option: "--ttl")
    }

    func run() throws {
        let lifetime = ttl.flatMap(Lifetime.init)?.seconds ?? SessionSealer.defaultLifetime
        let sealer = try SessionSealer(keys: keyOptions.keyRing(), lifetime: lifetime)
        let token: String
        if let claims {
            let custom = try ClaimsOption.parse(claims, reserved: SessionClaims.registeredNames)
            token = try sealer.seal(subject: user, custom: custom, at: clock.date).token
        } else {
            token = try sealer.seal(subject: user, at: clock.date).token
        }
        // The sealed token is this command's output (it is what a cookie carries, not a key).
        Console.output(token)
    }
}
