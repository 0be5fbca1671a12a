import ArgumentParser
import Foundation
import SessionToken
import SessionTokenNextAuth

/// The secrets and derivation shared by `nextauth decode` and `nextauth encode`.
struct NextAuthOptions: ParsableArguments {
    @Option(name: .long, help: "A secret (NEXTAUTH_SECRET / AUTH_SECRET). Repeat for rotation: the first encodes.")
    var secret: [String] = []

    @Option(name: .customLong("secret-env"),
            help: "Read a secret from this environment variable instead of the command line. Repeatable.")
    var secretEnv: [String] = []

    @Option(name: .long, help: "The session cookie name: selects Auth.js v5 with this HKDF salt. Without it: next-auth v4.")
    var salt: String?

    var format: NextAuthFormat { salt.map { .v5(cookieName: $0) } ?? .v4 }

    /// The secrets, from `--secret` or `--secret-env` (not both: their order would be unclear).
    func secrets() throws -> [String] {
        if !secret.isEmpty && !secretEnv.isEmpty {
            throw ConfigurationProblem(message: "use either --secret or --secret-env, not both")
        }
        if !secretEnv.isEmpty {
            return try secretEnv.map(Console.environment)
        }
        guard !secret.isEmpty else {
            throw ConfigurationProblem(message: "no secret: pass --secret S or --secret-env NAME")
        }
        return secret
    }
}
