import Foundation
import Hummingbird
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenPostgres
import SessionTokenSQLite

/// Each request's context: the session the middleware opened.
struct AppContext: SessionTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var sessionToken = RequestSession()
    init(source: Source) { coreContext = .init(source: source) }
}

@main
enum SignInService {
    static func main() async {
        do {
            try await run()
        } catch {
            FileHandle.standardError.write(Data("SignInService: \(error)\n".utf8))
            exit(2)
        }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data("SignInService: \(line)\n".utf8))
    }

    static func run() async throws {
        let settings = try Settings.parse(CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        // The folder holds the revocations (who was signed out, when): for the service's user only.
        // A folder that exists keeps the mode its owner gave it.
        try FileManager.default.createDirectory(
            atPath: settings.dataFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        // Keys: a file (reloaded on SIGHUP), SESSION_TOKEN_KEYS, or a ring made now.
        let source: KeyRingSource
        if let file = settings.keysFile {
            source = .file(file)
        } else if ProcessInfo.processInfo.environment["SESSION_TOKEN_KEYS"] != nil {
            source = .environment("SESSION_TOKEN_KEYS")
        } else {
            let spec = "k1:" + (try SessionKey.generate()).exportBase64URL()
            source = .custom { spec }
            log("no SESSION_TOKEN_KEYS or --keys-file: made a fresh key ring; sessions end when the service stops")
        }
        // --update-age: when a request re-issues its session token (the library's default otherwise).
        let updateAge = settings.updateAge ?? SessionSealer.defaultUpdateAge
        let keys = try KeyRingProvider(source: source) { ring throws(SessionTokenError) in
            try SessionSealer(keys: ring, updateAge: updateAge)
        }

        // The product's cookie policy, with the one non-essential cookie, set only after opt-in.
        let analytics = CookieDefinition(
            name: "analytics-id", category: .analytics, maxAge: CookiePolicy.consentLifetime, secure: settings.secure)
        let policy = try CookiePolicy.nextAuthV4(secure: settings.secure).adding([analytics])

        // The token format: next-auth's when its secret is set, so the front end shares the cookie.
        let nextAuth = try settings.nextAuthSecret.map { try NextAuthCodec(secrets: [$0], format: .v4) }
        let csrfSecret = try settings.csrfSecret ?? settings.nextAuthSecret ?? SessionKey.generate().exportBase64URL()
        let csrf = CSRFProtection.signed(
            SignedCSRF(key: try SessionKey.derive(fromSecret: Array(csrfSecret.utf8), purpose: "signin-service csrf")))

        // Revocations: SQLite in the data folder, or PostgreSQL when DATABASE_URL is set.
        let store: any RevocationStore
        if let url = settings.databaseURL {
            let postgres = try PostgresRevocationStore(url: url, password: ProcessInfo.processInfo.environment["PGPASSWORD"])
            try await postgres.createTable()
            store = postgres
            log("revocations on PostgreSQL")
        } else {
            let path = (settings.dataFolder as NSString).appendingPathComponent("revocations.sqlite")
            store = try SQLiteRevocationStore(path: path)
            log("revocations in \(path)")
        }
        // --stale-after, --reload-interval: the revocation policy (the library's defaults otherwise).
        var revocationPolicy = RevocationPolicy()
        if let seconds = settings.staleAfter { revocationPolicy.staleAfter = .milliseconds(Int64(seconds * 1000)) }
        if let seconds = settings.reloadInterval { revocationPolicy.reloadInterval = .milliseconds(Int64(seconds * 1000)) }
        let onEvent: @Sendable (RevocationEvent) -> Void = { event in
            if case .reloadFailed(let error) = event { log("revocation reload failed: \(error)") }
        }
        // Revocations are kept as long as the tokens they refuse can live: next-auth's maxAge when
        // its tokens are the session cookie, the sealer's lifetime otherwise.
        let revocations = nextAuth.map {
            RevocationService(store: store, codec: $0, policy: revocationPolicy, onEvent: onEvent)
        } ?? RevocationService(store: store, sealer: keys.sealer, policy: revocationPolicy, onEvent: onEvent)
        try await revocations.start()
        Task { await revocations.run() }

        let sessions = SessionConfiguration(
            keys: keys, policy: policy, nextAuth: nextAuth, csrf: csrf, revocations: revocations)
        let users = try DemoUsers(extra: settings.demoUsers)
        let callbacks = try CallbackURLValidator(origin: settings.publicOrigin)
        let router = Routes.make(sessions: sessions, users: users, callbacks: callbacks, analytics: analytics)

        // SIGHUP: read the keys again; no restart, nobody signed out.
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP)
        hangUp.setEventHandler {
            do {
                _ = try keys.reload()
                log("keys reloaded: primary \(keys.sealer.keys.primary.id)")
            } catch {
                log("keys not reloaded, the old ring stays: \(error)")
            }
        }
        hangUp.resume()

        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: settings.port)))
        log("listening on http://127.0.0.1:\(settings.port) (origin \(settings.publicOrigin))")
        try await app.runService()
        hangUp.cancel()
    }
}
