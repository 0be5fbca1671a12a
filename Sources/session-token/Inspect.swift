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
            print(Self.terminalSafe(header.json))
            Console.error("note: this header is NOT verified: anyone can write any header; open the token to trust it")
        } catch {
            throw TokenRejected(error: error)
        }
    }

    /// The header is attacker-written text printed to a terminal: control characters (C0, DEL,
    /// C1) and bidirectional overrides could rewrite or reorder what the reader sees. Each is
    /// printed as a JSON `\uXXXX` escape, which keeps the output valid JSON with the same meaning:
    /// the parser admits such characters only inside strings, except tab and carriage return
    /// between tokens, which print as a space.
    static func terminalSafe(_ json: String) -> String {
        var out = ""
        for scalar in json.unicodeScalars {
            let value = scalar.value
            let unsafe = (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value)
                || value == 0x061C || value == 0x200E || value == 0x200F
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if value == 0x09 || value == 0x0D {
                out += " "
            } else if unsafe {
                let hex = String(value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
