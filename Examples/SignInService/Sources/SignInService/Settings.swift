import Foundation

/// What the service is started with: flags, then the environment.
///
///     SignInService [--port N] [--secure] [--analytics] [--behind-proxy] [--data DIR] [--keys-file PATH]
///
/// `PORT`, `NEXTAUTH_SECRET` (next-auth's token format), `SESSION_TOKEN_KEYS` (the library's
/// own tokens under that ring), `CSRF_SECRET`, `DATABASE_URL` (revocations on PostgreSQL, the
/// password in `PGPASSWORD`), `ORIGIN` (the public origin behind a TLS proxy), `ANALYTICS=1`
/// (as `--analytics`).
struct Settings {
    var port = 8080
    var secure = false
    /// The optional analytics cookie and the banner's choice for it. Off by default: the
    /// product's policy has only essential cookies until it adds analytics.
    var analytics = false
    /// The client address is the last `X-Forwarded-For` entry (the one the proxy appended).
    /// Off by default, because a client that reaches the service directly could write any
    /// address there and so escape the per-address sign-in limit.
    var behindProxy = false
    var dataFolder = "data"
    var keysFile: String?
    var nextAuthSecret: String?
    var csrfSecret: String?
    var databaseURL: String?
    var origin: String?

    static func parse(_ arguments: [String], environment: [String: String]) throws -> Settings {
        var settings = Settings()
        if let port = environment["PORT"].flatMap(Int.init) { settings.port = port }
        settings.nextAuthSecret = environment["NEXTAUTH_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        settings.csrfSecret = environment["CSRF_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        settings.databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        settings.origin = environment["ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
        settings.analytics = environment["ANALYTICS"] == "1"
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--secure": settings.secure = true
            case "--analytics": settings.analytics = true
            case "--behind-proxy": settings.behindProxy = true
            case "--port":
                guard let value = rest.popFirst().flatMap(Int.init), (1...65_535).contains(value) else {
                    throw Problem("--port needs a number from 1 to 65535")
                }
                settings.port = value
            case "--data":
                guard let value = rest.popFirst(), !value.isEmpty else { throw Problem("--data needs a folder") }
                settings.dataFolder = value
            case "--keys-file":
                guard let value = rest.popFirst(), !value.isEmpty else { throw Problem("--keys-file needs a path") }
                settings.keysFile = value
            default: throw Problem("unknown argument \(flag.hasPrefix("-") ? flag : "(value not shown)")")
            }
        }
        try settings.checkOrigin()
        return settings
    }

    /// The origin's scheme and `--secure` must agree. An https origin served with plain cookies
    /// would send the session without `Secure` or its prefix, and nothing would look wrong; an
    /// http origin with `Secure` cookies would sign nobody in, since browsers drop them there.
    private func checkOrigin() throws {
        guard let origin else { return }
        let scheme = origin.prefix { $0 != ":" }.lowercased()
        switch (scheme, secure) {
        case ("https", false):
            throw Problem("ORIGIN is https but --secure is not set: the cookies would lack Secure and their prefixes. "
                + "Start with --secure behind the TLS proxy, or use an http:// ORIGIN for development")
        case ("http", true):
            throw Problem("ORIGIN is http but --secure is set: browsers drop Secure cookies over http. "
                + "Use the https:// origin the TLS proxy serves")
        case ("http", false), ("https", true): return
        default: throw Problem("ORIGIN must be http(s)://host[:port]")
        }
    }

    /// The origin callback URLs must stay on.
    var publicOrigin: String { origin ?? "\(secure ? "https" : "http")://127.0.0.1:\(port)" }
}

struct Problem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
