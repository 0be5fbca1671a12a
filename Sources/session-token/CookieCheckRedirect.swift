import ArgumentParser
import SessionCookies

/// `session-token cookie check-redirect`: prints the URL a callback URL validates to.
struct CookieCheckRedirect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-redirect",
        abstract: "Print the URL the callback-URL validator returns for URL (the origin when it is off-site).")

    @Option(name: .long, help: "The service's origin, http(s)://host[:port].")
    var base: String

    @Option(name: .customLong("allow"), help: "A further allowed origin (repeatable).")
    var allowed: [String] = []

    @Argument(help: "The callback URL to check.")
    var url: String

    func run() throws {
        let validator: CallbackURLValidator
        do {
            validator = try CallbackURLValidator(origin: base, allowedOrigins: allowed)
        } catch {
            throw ConfigurationProblem(message: error.description)
        }
        Console.output(validator.validate(url))
    }
}
