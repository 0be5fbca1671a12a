import Foundation

/// What the service is started with: flags, then the environment.
///
///     SignInService [--port N] [--secure] [--analytics] [--behind-proxy] [--data DIR] [--keys-file PATH]
///                   [--update-age SECONDS] [--stale-after SECONDS] [--reload-interval SECONDS]
///                   [--demo-users N]
///
/// The operational flags (a fleet test runs them short; the defaults are the library's):
/// `--update-age` is how old a session token may grow before a request re-issues it (the
/// sealer's `updateAge`, 1 day); `--stale-after` and `--reload-interval` are the revocation
/// policy's bound after which a node that cannot reload its revocations re-issues nothing (300 s),
/// and how often it reloads them whatever the notifications say (30 s); `--demo-users N` adds
/// `user-1`...`user-N` (`user-K@example.com`) who share one password, ``DemoUsers/sharedPassword``.
///
/// `PORT`, `NEXTAUTH_SECRET` (next-auth's token format), `SESSION_TOKEN_KEYS` (the library's
/// own tokens under that ring), `CSRF_SECRET`, `DATABASE_URL` (revocations on PostgreSQL, the
/// password in `PGPASSWORD`), `ORIGIN` (the public origin behind a TLS proxy), `ANALYTICS=1`
/// (as `--analytics`).
///
/// HTTPS and device-bound sessions: `TLS_CERT` and `TLS_KEY` (PEM files) make the service
/// serve https itself, and then secure (Secure, prefixed cookies and HSTS, as `--secure`);
/// `DBSC=1` binds sessions to the browser's device key (W3C DBSC, which browsers run only over
/// https), with bound cookies living `DBSC_COOKIE_SECONDS` (600 by default; more than 120).
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
    /// The sealer's `updateAge` in seconds; nil for the library's default.
    var updateAge: Double?
    /// The revocation policy's `staleAfter` and `reloadInterval` in seconds; nil for the defaults.
    var staleAfter: Double?
    var reloadInterval: Double?
    /// How many extra demo users to add (`user-1`...`user-N`).
    var demoUsers = 0
    /// PEM files of the certificate chain and its key: the service serves https itself.
    var tlsCertificate: String?
    var tlsKey: String?
    /// Device-bound sessions, and their bound cookies' lifetime in seconds.
    var deviceBound = false
    var deviceBoundCookieSeconds: Double = 600

    static func parse(_ arguments: [String], environment: [String: String]) throws -> Settings {
        var settings = Settings()
        if let port = environment["PORT"].flatMap(Int.init) { settings.port = port }
        settings.nextAuthSecret = environment["NEXTAUTH_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        settings.csrfSecret = environment["CSRF_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        settings.databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        settings.origin = environment["ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
        settings.analytics = environment["ANALYTICS"] == "1"
        settings.tlsCertificate = environment["TLS_CERT"].flatMap { $0.isEmpty ? nil : $0 }
        settings.tlsKey = environment["TLS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard (settings.tlsCertificate == nil) == (settings.tlsKey == nil) else {
            throw Problem("TLS_CERT and TLS_KEY go together: the certificate chain and its private key, as PEM files")
        }
        // Served over https, the cookies are secure with no further flag.
        if settings.tlsCertificate != nil { settings.secure = true }
        settings.deviceBound = environment["DBSC"] == "1"
        if let text = environment["DBSC_COOKIE_SECONDS"], !text.isEmpty {
            guard let value = Double(text), value.isFinite, value > 120, value <= 86_400 else {
                throw Problem("DBSC_COOKIE_SECONDS must be more than 120 (Chromium refreshes with 120 s left) and at most 86400")
            }
            settings.deviceBoundCookieSeconds = value
        }
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
            case "--update-age": settings.updateAge = try seconds(flag, rest.popFirst(), allowZero: true)
            case "--stale-after": settings.staleAfter = try seconds(flag, rest.popFirst(), allowZero: false)
            case "--reload-interval": settings.reloadInterval = try seconds(flag, rest.popFirst(), allowZero: false)
            case "--demo-users":
                guard let value = rest.popFirst().flatMap(Int.init), (0...100_000).contains(value) else {
                    throw Problem("--demo-users needs a number from 0 to 100000")
                }
                settings.demoUsers = value
            default: throw Problem("unknown argument \(flag.hasPrefix("-") ? flag : "(value not shown)")")
            }
        }
        try settings.checkOrigin()
        if settings.deviceBound {
            guard settings.secure else {
                throw Problem("DBSC=1 needs https: browsers bind sessions only there. Set TLS_CERT and TLS_KEY, or --secure behind a TLS proxy")
            }
            guard settings.nextAuthSecret == nil else {
                throw Problem("DBSC=1 binds the library's own session tokens; NEXTAUTH_SECRET makes them next-auth's")
            }
        }
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

    /// A number of seconds for `flag`: finite, at most a day, and more than 0 unless `allowZero`.
    private static func seconds(_ flag: String, _ text: String?, allowZero: Bool) throws -> Double {
        guard let value = text.flatMap(Double.init), value.isFinite, value <= 86_400, allowZero ? value >= 0 : value > 0
        else { throw Problem("\(flag) needs a number of seconds from \(allowZero ? "0" : "more than 0") to 86400") }
        return value
    }

    /// The origin callback URLs must stay on.
    var publicOrigin: String { origin ?? "\(secure ? "https" : "http")://127.0.0.1:\(port)" }
}

struct Problem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
