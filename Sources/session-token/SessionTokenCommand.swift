import ArgumentParser
import Foundation
import SessionToken

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `session-token`: issue, open and inspect session tokens from the shell.
///
/// Exit codes: 0 success, 1 token rejected, 2 usage or configuration error. Errors are one
/// line on standard error.
@main
struct SessionTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session-token",
        abstract: "Encrypted session tokens (JWE dir + XC20P over libsodium).",
        discussion: """
            Exit codes: 0 success, 1 token rejected, 2 usage or configuration error.

            Key specs (KID:KEY,KID:KEY, first entry primary) come from --keys SPEC, --keys @PATH, \
            or the SESSION_TOKEN_KEYS environment variable.
            """,
        version: SessionTokenCommand.version,
        subcommands: [Keygen.self, Seal.self, Open.self, Inspect.self, Rotate.self, Revoke.self, Revocations.self, Derive.self, NextAuth.self, CookieCommand.self, Demo.self]
    )

    /// The version `--version` prints: the next release while its changes are in CHANGELOG.md's
    /// "Unreleased" section.
    static let version = "0.2.0-dev"

    /// ArgumentParser's own `main` prints its messages as they are; this one maps each failure
    /// to the tool's exit codes and one line, and rewords usage errors (``UsageMessage``).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let rejection as TokenRejected {
            Console.error(rejection.line)
            Foundation.exit(1)
        } catch let error as SessionTokenError {
            Console.error(error.description)
            Foundation.exit(2)
        } catch let error as ConfigurationProblem {
            Console.error(error.message)
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
            Console.error(UsageMessage.rewrite(
                message, fullMessage: fullMessage(for: error), arguments: arguments, root: Self.self))
            Foundation.exit(2)
        }
    }
}

/// A token was refused: exit 1 with the error's words, and for `invalid` a hint about the
/// input's shape when it could not have been a token at all (``TokenShape``).
struct TokenRejected: Error {
    let error: SessionTokenError
    var hint: String? = nil

    /// The line printed on standard error: `invalid (hint: ...)`, or the error's word alone.
    var line: String {
        guard error == .invalid, let hint else { return error.description }
        return "\(error.description) (hint: \(hint))"
    }
}

/// A usage or configuration problem found by the tool itself: exit 2.
struct ConfigurationProblem: Error {
    let message: String
}

/// The tool's only ways to print: every line goes through ``TerminalText``, so that no command
/// can print text from a token, a cookie or a store raw (error lines too carry text from a
/// store, such as a database's own messages).
enum Console {
    static func output(_ line: String) {
        print(TerminalText.escaping(line))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.escaping(line) + "\n").utf8))
    }

    /// Reads a value the user keeps out of the command line, where other users of the machine
    /// could see it. The message names the variable, never a value.
    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw SessionTokenError.configuration("environment variable \(name) is not set")
        }
        guard !value.isEmpty else {
            throw SessionTokenError.configuration("environment variable \(name) is empty")
        }
        return value
    }

    /// Reads a token argument: the text itself, or standard input for `-` or no argument.
    static func readToken(_ argument: String?) throws -> String {
        guard argument == nil || argument == "-" else { return argument ?? "" }
        if argument == nil {
            noteWaiting(for: "a token", orArgument: true)
        }
        // Read at most a little more than any token limit, so a huge stdin cannot exhaust memory.
        let data = FileHandle.standardInput.readData(ofLength: 1 << 20)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A command about to read standard input from a terminal says so on standard error, so that
    /// a user who forgot the argument is not left before a silent cursor. Nothing is said when
    /// standard input is a pipe or a file: scripts see the same output as before.
    static func noteWaiting(for what: String, orArgument: Bool) {
        guard isatty(STDIN_FILENO) == 1 else { return }
        error("reading \(what) from standard input; paste it and press Ctrl-D"
            + (orArgument ? ", or pass it as an argument" : ""))
    }
}
