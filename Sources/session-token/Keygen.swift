import ArgumentParser
import SessionToken

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a key and print it as one key ring entry KID:KEY.")

    @Option(name: .long, help: "The key ID (default: derived from the key, revealing nothing about it).")
    var id: String?

    func run() throws {
        let key = try SessionKey.generate(id: id)
        print("\(key.id):\(key.exportBase64URL())")
    }
}
