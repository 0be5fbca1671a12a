import ArgumentParser
import SessionToken

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a token's protected header. Nothing in it is verified.")

    @Argument(help: "The token, or - (or nothing) to read it from standard input.")
    var token: String?

    func run() throws {
        let text = try Console.readToken(token)
        do {
            let header = try UnverifiedHeader(token: text)
            Console.output(header.json)
            Console.error("note: this header is NOT verified: anyone can write any header; open the token to trust it")
        } catch {
            throw TokenRejected(error: error, hint: TokenShape.hint(for: text, format: .native))
        }
    }
}
