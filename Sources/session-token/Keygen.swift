import ArgumentParser
import SessionToken

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a key and print it as one key ring entry KID:KEY (KID:A256GCM:KEY with --enc A256GCM).")

    @Option(name: .long, help: "The key ID. Default: derived from the key, revealing nothing about it.")
    var id: String?

    @Option(name: .long, help: "The content encryption the key is bound to: XC20P (any CPU) or A256GCM (needs AES-NI; at most about 2^32 tokens per key).")
    var enc = EncryptionOption(.xchacha20Poly1305)

    func run() throws {
        let key = try SessionKey.generate(id: id, encryption: enc.encryption)
        // The new key is this command's whole output, on stdout only, for the caller to pipe
        // into a secret store; nothing is logged or written to stderr.
        Console.output(key.specEntry)
    }
}
