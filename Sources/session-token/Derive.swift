import ArgumentParser
import Foundation
import SessionToken

struct Derive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Derive a key from a secret for one purpose and print it as one entry KID:KEY.",
        discussion: """
            The secret is read from an environment variable, never from the command line, where \
            other users of the machine could see it. HKDF-SHA-256, info swift-session-token/v1/PURPOSE.
            """)

    @Option(name: .customLong("secret-env"), help: "The environment variable that holds the secret (at least 32 bytes).")
    var secretEnv: String

    @Option(name: .long, help: "What the key is for, such as sessions or csrf.")
    var purpose: String

    @Option(name: .long, help: "The key ID. Default: derived from the key, revealing nothing.")
    var id: String?

    func run() throws {
        let secret = try Console.environment(secretEnv)
        let key = try SessionKey.derive(fromSecret: secret, purpose: purpose, id: id)
        // The derived key is this command's whole output, on stdout only, for the caller to
        // pipe into a secret store; the secret itself came from the environment and is not
        // echoed.
        Console.output(key.specEntry)
    }
}
