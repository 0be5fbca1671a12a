import ArgumentParser

/// `session-token nextauth`: decode and encode next-auth v4 / Auth.js v5 session tokens.
struct NextAuth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nextauth",
        abstract: "Decode and encode next-auth v4 and Auth.js v5 session tokens.",
        discussion: """
            Without --salt: next-auth v4 (HKDF with an empty salt, A256GCM). With --salt COOKIE_NAME: \
            Auth.js v5, the key derived from the session cookie's name (authjs.session-token over http, \
            __Secure-authjs.session-token over https), A256CBC-HS512.
            """,
        subcommands: [NextAuthDecode.self, NextAuthEncode.self]
    )
}
