import Foundation

/// What the service is started with: flags, then the environment.
///
///     SignInService [--port N] [--secure] [--data DIR] [--keys-file PATH]
///
/// `PORT`, `NEXTAUTH_SECRET` (next-auth's token format), `SESSION_TOKEN_KEYS` (the library's
/// own tokens under that ring), `CSRF_SECRET`, `DATABASE_URL` (revocations on PostgreSQL, the
/// password in `PGPASSWORD`), `ORIGIN` (the public origin behind a TLS proxy).
struct Settings {
    var port = 8080
    var secure = false
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
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--secure": settings.secure = true
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
        return settings
    }

    /// The origin callback URLs must stay on.
    var publicOrigin: String { origin ?? "\(secure ? "https" : "http")://127.0.0.1:\(port)" }
}

struct Problem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
