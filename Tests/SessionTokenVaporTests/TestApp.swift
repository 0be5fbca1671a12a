#if Vapor
import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenNextAuth
import SessionTokenTestSupport
import SessionTokenVapor
import Vapor
import SessionTokenRevocation

struct User: Authenticatable, Sendable, Equatable, Content {
    let id: String
}

func makeConfiguration(
    spec: MutableSpec, clock: TestClock, policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil,
    revocations: RevocationService? = nil, deviceBinding: DeviceBinding? = nil
) throws -> SessionConfiguration {
    // Room for the chunked-cookie test's 6 KB of custom claims.
    let keys = try KeyRingProvider(source: .custom { spec.value }) { ring throws(SessionTokenError) in
        try SessionSealer(keys: ring, maxTokenLength: 16_384)
    }
    let csrf = try CSRFProtection.signed(
        SignedCSRF(key: SessionKey.derive(fromSecret: Array("the CSRF master secret of the test service, 32+ bytes".utf8), purpose: "csrf")))
    return SessionConfiguration(
        keys: keys, format: nextAuth.map(SessionTokenFormat.nextAuth) ?? .native, policy: policy, csrf: csrf,
        clock: { clock.now }, revocations: revocations, deviceBinding: deviceBinding)
}

/// The service under test, the same routes as the Hummingbird tests' service.
func configure(_ app: Application, configuration: SessionConfiguration) throws {
    let callbacks = try CallbackURLValidator(origin: Fixture.origin)
    // The device-bound endpoints sit behind the session middleware, before the CSRF check.
    app.grouped(SessionTokenMiddleware(configuration)).deviceBoundEndpoints(configuration)
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
    sessions.post("signout-device") { req -> HTTPStatus in
        try await req.sessionToken.signOut(revoking: .thisSession)
        return .ok
    }
    sessions.post("signout-everywhere") { req -> HTTPStatus in
        try await req.sessionToken.signOut(revoking: .everywhere)
        return .ok
    }
    sessions.grouped(User.guardMiddleware()).get("account", "me") { req in try req.auth.require(User.self).id }
    sessions.grouped(User.redirectMiddleware(path: "/signin")).get("account", "page") { req in
        try req.auth.require(User.self).id
    }
}

extension HTTPHeaders {
    var setCookies: [String] { self[.setCookie] }
}

#endif
