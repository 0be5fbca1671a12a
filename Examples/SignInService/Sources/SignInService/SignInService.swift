import Foundation
import Hummingbird
import HummingbirdTLS
import NIOSSL
import SessionCookies
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenPostgres
import SessionTokenSQLite
import SessionTokenRevocation

/// Each request's context: the session the middleware opened, and the connection's peer
/// address for the per-address sign-in limit.
struct AppContext: SessionTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var sessionToken = RequestSession()
    let peerAddress: String?
    init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
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

        if settings.secure {
            log("secure: Secure, prefixed cookies and HSTS, for https behind a TLS proxy")
        } else {
            log("development mode: plain http, cookies without Secure or prefixes; use --secure for https")
        }

        // The product's cookie policy: its essential cookies only, unless analytics are turned on;
        // then one non-essential cookie, set only after opt-in, as the policy foresees. The
        // session cookie holding this library's own token is `__Host-` over https; next-auth's
        // keeps next-auth's name, which the front end reads.
        var policy = settings.nextAuthSecret == nil
            ? CookiePolicy.native(secure: settings.secure) : CookiePolicy.nextAuthV4(secure: settings.secure)
        var analytics: CookieDefinition?
        if settings.analytics {
            let definition = CookieDefinition(
                name: "analytics-id", category: .analytics, maxAge: CookiePolicy.consentLifetime,
                secure: settings.secure)
            policy = try policy.adding([definition])
            analytics = definition
            log("analytics: the banner offers the analytics-id cookie")
        }
        if settings.behindProxy {
            log("behind a proxy: the client address is the last X-Forwarded-For entry")
        }

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

        // DBSC=1: sessions bound to the browser's device key; a copied cookie stops working
        // once its bound cookie expires.
        var deviceBinding: DeviceBinding?
        if settings.deviceBound {
            deviceBinding = try .deviceBound(
                origin: settings.publicOrigin, cookieLifetime: settings.deviceBoundCookieSeconds,
                onEvent: { event in log("device-bound session: \(event)") })
            log("device-bound sessions: bound cookies live \(Int(settings.deviceBoundCookieSeconds)) s")
            if settings.deviceBoundCookieSeconds < 210 {
                // Chromium signs at most 6 proofs a site in 9 minutes: a user who keeps browsing
                // with shorter cookies runs out and is signed out (the browser tests use 130 s
                // and stay within the quota).
                log("DBSC_COOKIE_SECONDS under 210: an active user exceeds Chromium's signing quota (6 in 9 minutes)")
            }
        }
        let sessions = SessionConfiguration(
            keys: keys, format: nextAuth.map(SessionTokenFormat.nextAuth) ?? .native, policy: policy, csrf: csrf,
            revocations: revocations, deviceBinding: deviceBinding)
        let users = try DemoUsers(extra: settings.demoUsers)
        let callbacks = try CallbackURLValidator(origin: settings.publicOrigin)
        // Two Argon2id checks at a time (64 MiB each) and eight waiting, about half a second's
        // work: enough for real sign-ins, and a flood of guesses never reaches the other routes.
        let services = Routes.Services(
            users: users, callbacks: callbacks, analytics: analytics, throttle: SignInThrottle(),
            passwordChecks: PasswordCheckPool(threads: 2, maxWaiting: 8), secure: settings.secure,
            behindProxy: settings.behindProxy)
        let router = Routes.make(sessions: sessions, services: services)

        // SIGHUP: read the keys again; no restart, nobody signed out.
        let reloader = KeyRingReloader(keys) { result in
            switch result {
            case .success(let ring): log("keys reloaded: primary \(ring.primary.id)")
            case .failure(let error): log("keys not reloaded, the old ring stays: \(error)")
            }
        }

        // The revocation service and the reloader run in the application's service group, and
        // stop with it on SIGTERM or Ctrl-C.
        let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: settings.port))
        if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            let app = Application(
                router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration,
                services: [revocations, reloader])
            log("listening on https://127.0.0.1:\(settings.port) (origin \(settings.publicOrigin))")
            try await app.runService()
        } else {
            let app = Application(router: router, configuration: configuration, services: [revocations, reloader])
            log("listening on http://127.0.0.1:\(settings.port) (origin \(settings.publicOrigin))")
            try await app.runService()
        }
    }
}
