import ArgumentParser

/// `session-token cookie`: the cookie layer from the shell.
struct CookieCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cookie",
        abstract: "Check callback URLs and parse Cookie headers.",
        subcommands: [CookieCheckRedirect.self, CookieParse.self]
    )
}
