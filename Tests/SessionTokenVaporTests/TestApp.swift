#if Vapor
import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenNextAuth
import SessionTokenVapor
import Vapor

struct User: Authenticatable, Sendable, Equatable, Content {
    let id: String
}

/// A key ring spec the tests change while the server runs (a `.custom` source).
final class MutableSpec: @unchecked Sendable {
    private let lock = NSLock()
    private var spec: String
    init(_ spec: String) { self.spec = spec }
    var value: String {
        get { lock.withLock { spec } }
        set { lock.withLock { spec = newValue } }
    }
}

/// A clock the tests move.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ date: Date) { current = date }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}

enum Fixture {
    static let key1 = "k1:" + String(repeating: "A", count: 42) + "E"
    static let key2 = "k2:" + String(repeating: "B", count: 42) + "E"
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let origin = "https://app.example.com"
}

func makeConfiguration(
    spec: MutableSpec, clock: TestClock, policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil
) throws -> SessionConfiguration {
    // Room for the chunked-cookie test's 6 KB of custom claims.
    let keys = try KeyRingProvider(source: .custom { spec.value }) { ring throws(SessionTokenError) in
        try SessionSealer(keys: ring, maxTokenLength: 16_384)
    }
    let csrf = try CSRFProtection.signed(
        SignedCSRF(key: SessionKey.derive(fromSecret: Array("the CSRF master secret of the test service, 32+ bytes".utf8), purpose: "csrf")))
    return SessionConfiguration(keys: keys, policy: policy, nextAuth: nextAuth, csrf: csrf, clock: { clock.now })
}

/// The service under test, the same routes as the Hummingbird tests' service.
func configure(_ app: Application, configuration: SessionConfiguration) throws {
    let callbacks = try CallbackURLValidator(origin: Fixture.origin)
    let sessions = app.grouped(SessionTokenMiddleware(configuration), CSRFMiddleware())
        .grouped(SessionTokenAuthenticator<User> { session, _ in
            session.subject == "deleted-user" ? nil : User(id: session.subject)
        })
    sessions.get("public") { req in req.sessionToken.subject ?? "signed out" }
    sessions.get("form") { req in try req.sessionToken.csrfToken() }
    sessions.post("signin") { req -> Response in
        struct Form: Content { var user: String? }
        let user = (try? req.content.decode(Form.self))?.user ?? "user-1"
        try req.sessionToken.signIn(subject: user)
        return req.redirect(to: req.callbackURL(validatedBy: callbacks), redirectType: .normal)
    }
    sessions.post("signin-large") { req -> HTTPStatus in
        try req.sessionToken.signIn(subject: "user-1", custom: ["blob": String(repeating: "x", count: 6000)])
        return .ok
    }
    for method in [HTTPMethod.POST, .PUT, .DELETE, .PATCH] {
        sessions.on(method, "signout") { req -> HTTPStatus in
            try req.sessionToken.signOut()
            return .ok
        }
    }
    sessions.grouped(User.guardMiddleware()).get("account", "me") { req in try req.auth.require(User.self).id }
    sessions.grouped(User.redirectMiddleware(path: "/signin")).get("account", "page") { req in
        try req.auth.require(User.self).id
    }
}

extension HTTPHeaders {
    var setCookies: [String] { self[.setCookie] }
}

/// The `name=value` pairs of `Set-Cookie` lines that store a value, as a browser sends them back.
func cookieHeader(from setCookies: [String]) -> String {
    setCookies.filter { !$0.contains("Max-Age=0") }
        .map { String($0.prefix { $0 != ";" }) }
        .joined(separator: "; ")
}
#endif
