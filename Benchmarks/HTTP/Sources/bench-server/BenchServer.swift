// One server of the HTTP benchmark: `bench-server MODE PORT`. Every mode serves `GET /me`
// (`POST /me` for the modes ending in `-post`: the signed-in user's ID, or 401) and `GET /login`,
// whose body is the header lines a client sends to be signed in (`Cookie: ...` or
// `Authorization: Bearer ...`, and `X-CSRF-Token: ...` for a CSRF-checked route).
import Foundation
import Hummingbird
import HummingbirdAuth
import JWT
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenDeviceBound
import SessionTokenNextAuth
import SessionTokenRevocation
import SessionTokenVapor
import Vapor

struct HBContext: SessionTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var sessionToken = RequestSession()
    init(source: Source) { coreContext = .init(source: source) }
}

struct HBAuthContext: SessionRequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions = SessionContext<String>()
    init(source: Source) { coreContext = .init(source: source) }
}

@main
enum BenchServer {
    /// A custom claim that brings the token to about `bytes`.
    static func padding(toTokenBytes bytes: Int) -> [String: String] {
        // The token is base64url (4/3) of the claims plus about 90 bytes of header, nonce and tag.
        ["pad": String(repeating: "p", count: max(0, (bytes - 180) * 3 / 4))]
    }
    /// The `Cookie:` line for the Set-Cookie lines of a sign-in.
    static func cookieLine(_ setCookies: [String]) -> String {
        "Cookie: " + setCookies.map { String($0.prefix { $0 != ";" }) }.joined(separator: "; ")
    }
    static func hummingbird<Context: RequestContext>(_ router: Hummingbird.Router<Context>, port: Int) async throws
        where Context.Source == ApplicationRequestContextSource
    {
        let app = Hummingbird.Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    static func hummingbirdSession(
        keys: KeyRingProvider, port: Int, nextAuth: Bool, tokenBytes: Int, revocations: RevocationService? = nil,
        csrf: CSRFProtection? = nil, deviceBinding: DeviceBinding? = nil, bound: Bool = false
    ) async throws {
        let codec = nextAuth ? try NextAuthCodec(secrets: ["the bench's next-auth secret"], format: .v4) : nil
        let configuration = SessionConfiguration(
            keys: keys, format: codec.map(SessionTokenFormat.nextAuth) ?? .native, policy: .nextAuthV4(secure: false),
            csrf: csrf, revocations: revocations, deviceBinding: deviceBinding)
        let router = Hummingbird.Router(context: HBContext.self)
        router.add(middleware: SessionTokenMiddleware(configuration))
        if csrf != nil { router.add(middleware: CSRFMiddleware()) }
        let me: @Sendable (Hummingbird.Request, HBContext) async throws -> String = { _, context in
            // A device-bound server answers only for the kind of session its row is about, so that
            // a registration gone wrong fails the run instead of measuring the bearer session.
            guard let subject = context.sessionToken.subject,
                deviceBinding == nil || context.sessionToken.session?.isDeviceBound == bound
            else { throw HTTPError(.unauthorized) }
            return subject
        }
        // The CSRF check lets safe methods through: its route is a `POST`, as its bare baseline's is.
        if csrf != nil { router.post("/me", use: me) } else { router.get("/me", use: me) }
        router.get("/login") { _, context -> String in
            // The plain session is the user's ID alone; the padded ones carry a custom claim.
            if tokenBytes == 0 {
                try context.sessionToken.signIn(subject: "user-42")
            } else {
                try context.sessionToken.signIn(subject: "user-42", custom: padding(toTokenBytes: tokenBytes))
            }
            if csrf != nil {
                // The session and CSRF cookies, and the token a script sends in the header.
                let token = try context.sessionToken.csrfToken()
                return cookieLine(context.sessionToken.responseSetCookies()) + "\nX-CSRF-Token: \(token)"
            }
            if bound {
                do {
                    return try await BoundDevice.register(context.sessionToken, configuration: configuration)
                } catch {
                    throw HTTPError(.internalServerError, message: "registration failed: \(error)")
                }
            }
            return cookieLine(context.sessionToken.responseSetCookies())
        }
        try await hummingbird(router, port: port)
    }

    /// A key ring provider for the benchmark's one key; `updateAge` 0 makes every token due for
    /// re-issue on every request.
    static func keyRing(updateAge: TimeInterval = SessionSealer.defaultUpdateAge) throws -> KeyRingProvider {
        try KeyRingProvider(source: .custom { "k1:" + String(repeating: "A", count: 42) + "E" }) {
            ring throws(SessionTokenError) in try SessionSealer(keys: ring, maxTokenLength: 16_384, updateAge: updateAge)
        }
    }

    /// The library's signed CSRF tokens, under a key of their own.
    static func signedCSRF() throws -> CSRFProtection {
        .signed(SignedCSRF(key: try SessionKey.derive(fromSecret: Array("the bench's CSRF master secret, 32+ bytes".utf8), purpose: "csrf")))
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let port = Int(arguments[2]) else {
            FileHandle.standardError.write(Data("usage: bench-server MODE PORT\n".utf8))
            exit(2)
        }
        let mode = arguments[1]
        let keys = try keyRing()
        switch mode {
        case "hb-bare":
            let router = Hummingbird.Router()
            router.get("/me") { _, _ in "user-42" }
            router.get("/login") { _, _ in "X-None: 1" }
            try await hummingbird(router, port: port)
        case "hb-bare-post":
            // The CSRF rows' baseline: the same `POST`, cookies, header and body, and no check.
            let router = Hummingbird.Router()
            router.post("/me") { _, _ in "user-42" }
            router.get("/login") { _, _ in "X-None: 1" }
            try await hummingbird(router, port: port)
        case "hb-noop-middleware":
            // The framework's own cost of one middleware, for reading the session rows against.
            let router = Hummingbird.Router()
            router.add(middleware: NoopMiddleware())
            router.get("/me") { _, _ in "user-42" }
            router.get("/login") { _, _ in "X-None: 1" }
            try await hummingbird(router, port: port)
        case "hb-session":
            try await hummingbirdSession(keys: keys, port: port, nextAuth: false, tokenBytes: 0)
        case "hb-session-revocations":
            // Every request checked against 100,000 revocations (50,000 users signed out
            // everywhere, 50,000 sessions), none of them the benchmark user's.
            let now = Date()
            let service = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer)
            service.list.replace(
                with: (0..<50_000).flatMap { i in
                    [Revocation.user("user-\(i)-x", before: now, retainedFor: keys.sealer.maxTokenAge),
                        .session("jti-\(i)-" + String(repeating: "x", count: 14), at: now, retainedFor: keys.sealer.maxTokenAge)]
                }, at: now)
            try await hummingbirdSession(keys: keys, port: port, nextAuth: false, tokenBytes: 0, revocations: service)
        case "hb-session-3500":
            try await hummingbirdSession(keys: keys, port: port, nextAuth: false, tokenBytes: 3500)
        case "hb-nextauth-8k":
            try await hummingbirdSession(keys: keys, port: port, nextAuth: true, tokenBytes: 8200)
        case "hb-csrf-post":
            // The session route behind the CSRF check, signed tokens, sent in the header.
            try await hummingbirdSession(keys: keys, port: port, nextAuth: false, tokenBytes: 0, csrf: signedCSRF())
        case "hb-csrf-nextauth-post":
            // next-auth's `token|hash` CSRF cookie, with a next-auth session.
            let csrf = CSRFProtection.nextAuth(try NextAuthCSRF(secret: "the bench's next-auth secret"))
            try await hummingbirdSession(keys: keys, port: port, nextAuth: true, tokenBytes: 0, csrf: csrf)
        case "hb-nextauth":
            // A small next-auth session (the user's ID), the re-issue row's own baseline.
            try await hummingbirdSession(keys: keys, port: port, nextAuth: true, tokenBytes: 0)
        case "hb-session-reissue", "hb-nextauth-reissue":
            // Every request's token is past its re-issue point: opened, sealed afresh, and set.
            try await hummingbirdSession(
                keys: keyRing(updateAge: 0), port: port, nextAuth: mode == "hb-nextauth-reissue", tokenBytes: 0)
        case "hb-bound", "hb-bound-bearer":
            // Device-bound sessions configured (with the revocations they need); the client is
            // signed in with a bound cookie (registered with a P-256 key at /login), or with the
            // bearer cookie of a sign-in on the same configuration. The cookie lives a day (the
            // most allowed), so that it outlasts the runs; no refresh is measured. The revocation
            // set is loaded once and not followed: the rows are about requests.
            let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer)
            try await revocations.start()
            let binding = try DeviceBinding.deviceBound(origin: "http://localhost", cookieLifetime: 86_400)
            try await hummingbirdSession(
                keys: keys, port: port, nextAuth: false, tokenBytes: 0, revocations: revocations,
                deviceBinding: binding, bound: mode == "hb-bound")
        case "hb-auth-memory":
            let router = Hummingbird.Router(context: HBAuthContext.self)
            router.add(middleware: SessionMiddleware(storage: MemoryPersistDriver()))
            router.get("/me") { _, context -> String in
                guard let user = context.sessions.session else { throw HTTPError(.unauthorized) }
                return user
            }
            router.get("/login") { _, context -> Response in
                context.sessions.createSession("user-42", expiresIn: .seconds(2_592_000))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "login")))
            }
            try await hummingbird(router, port: port)

        // MARK: Vapor

        case "vapor-bare", "vapor-noop-middleware", "vapor-session", "vapor-sessions-memory", "vapor-sessions-sealed",
            "vapor-jwt":
            var environment = Environment(name: "production", arguments: ["bench-server"])
            try LoggingSystem.bootstrap(from: &environment)
            let app = try await Vapor.Application.make(environment)
            app.logger.logLevel = .error
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            switch mode {
            case "vapor-bare":
                app.get("me") { _ in "user-42" }
                app.get("login") { _ in "X-None: 1" }
            case "vapor-noop-middleware":
                let grouped = app.grouped(NoopAsyncMiddleware())
                grouped.get("me") { _ in "user-42" }
                grouped.get("login") { _ in "X-None: 1" }
            case "vapor-session":
                let sessions = app.grouped(SessionTokenMiddleware(SessionConfiguration(keys: keys, policy: .nextAuthV4(secure: false))))
                sessions.get("me") { req -> String in
                    guard let subject = req.sessionToken.subject else { throw Abort(.unauthorized) }
                    return subject
                }
                sessions.get("login") { req -> String in
                    try req.sessionToken.signIn(subject: "user-42")
                    return cookieLine(req.sessionToken.responseSetCookies())
                }
            case "vapor-sessions-memory", "vapor-sessions-sealed":
                if mode == "vapor-sessions-memory" {
                    app.sessions.use(.memory)
                } else {
                    app.sessions.use { _ in SealedSessionDriver(keys: keys) }
                    app.sessions.configuration = .sealed(secure: false)
                }
                let sessions = app.grouped(app.sessions.middleware)
                sessions.get("me") { req -> String in
                    guard let user = req.session.data["user"] else { throw Abort(.unauthorized) }
                    return user
                }
                sessions.get("login") { req -> String in
                    req.session.data["user"] = "user-42"
                    return "login"
                }
            default:
                struct Payload: JWTPayload {
                    var sub: SubjectClaim
                    var exp: ExpirationClaim
                    func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
                }
                await app.jwt.keys.add(hmac: "the bench's HS256 secret, 32 bytes", digestAlgorithm: .sha256)
                app.get("me") { req -> String in
                    try await req.jwt.verify(as: Payload.self).sub.value
                }
                app.get("login") { req -> String in
                    let token = try await req.jwt.sign(Payload(sub: "user-42", exp: .init(value: Date().addingTimeInterval(2_592_000))))
                    return "Authorization: Bearer \(token)"
                }
            }
            try await app.execute()
            try await app.asyncShutdown()
        default:
            FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
            exit(2)
        }
    }
}

/// A Hummingbird middleware that only calls the next responder.
struct NoopMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Hummingbird.Request, context: Context, next: (Hummingbird.Request, Context) async throws -> Hummingbird.Response)
        async throws -> Hummingbird.Response
    {
        try await next(request, context)
    }
}

/// A Vapor `AsyncMiddleware` that only calls the next responder: the async bridge every
/// `AsyncMiddleware`, ours included, pays.
struct NoopAsyncMiddleware: AsyncMiddleware {
    func respond(to request: Vapor.Request, chainingTo next: any AsyncResponder) async throws -> Vapor.Response {
        try await next.respond(to: request)
    }
}
