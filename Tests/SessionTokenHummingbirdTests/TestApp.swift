#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenTestSupport
import SessionTokenRevocation

/// The request context of the test service, as the README's quick start declares one.
struct AppContext: AuthRequestContext, SessionTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: User?
    var sessionToken = RequestSession()
    init(source: Source) { coreContext = .init(source: source) }
}

struct User: Sendable, Equatable {
    let id: String
}

/// Hummingbird's router test client, then a live server on a loopback port with
/// HummingbirdTesting's HTTP/1.1 client (which, unlike its AsyncHTTPClient setup, does not follow
/// the sign-in redirect). `AsyncHTTPClientTests` drives a live server with AsyncHTTPClient.
let testingSetups: [TestingSetup] = [.router, .live]

/// The service under test: a public route, a protected one, sign-in, sign-out, a form that
/// embeds the CSRF token, and a callback redirect.
func makeRouter(configuration: SessionConfiguration) throws -> Router<AppContext> {
    let callbacks = try CallbackURLValidator(origin: Fixture.origin)
    let router = Router(context: AppContext.self)
    router.add(middleware: SessionTokenMiddleware(configuration))
    router.add(middleware: CSRFMiddleware())
    router.add(middleware: SessionTokenAuthenticator { session, _ in
        session.subject == "deleted-user" ? nil : User(id: session.subject)
    })
    router.get("/public") { _, context in context.sessionToken.subject ?? "signed out" }
    router.get("/form") { _, context in try context.sessionToken.csrfToken() }
    router.post("/signin") { request, context -> Response in
        var request = request
        let body = try await request.collectBody(upTo: 65_536)
        let form = String(buffer: body)
        let user = form.split(separator: "&").first { $0.hasPrefix("user=") }.map { String($0.dropFirst(5)) } ?? "user-1"
        try context.sessionToken.signIn(subject: user)
        return Response(
            status: .seeOther, headers: [.location: request.callbackURL(validatedBy: callbacks)])
    }
    router.post("/signin-large") { _, context -> HTTPResponse.Status in
        try context.sessionToken.signIn(subject: "user-1", custom: ["blob": String(repeating: "x", count: 6000)])
        return .ok
    }
    router.group("/account")
        .add(middleware: IsAuthenticatedMiddleware())
        .get("/me") { _, context in try context.requireIdentity().id }
    router.post("/signout") { _, context -> HTTPResponse.Status in
        try context.sessionToken.signOut()
        return .ok
    }
    router.post("/signout-device") { _, context -> HTTPResponse.Status in
        try await context.sessionToken.signOut(revoking: .thisSession)
        return .ok
    }
    router.post("/signout-everywhere") { _, context -> HTTPResponse.Status in
        try await context.sessionToken.signOut(revoking: .everywhere)
        return .ok
    }
    return router
}

func makeConfiguration(
    spec: MutableSpec, clock: TestClock, policy: CookiePolicy = .default, nextAuth: NextAuthCodec? = nil,
    csrf: CSRFProtection? = nil, revocations: RevocationService? = nil, deviceBinding: DeviceBinding? = nil
) throws -> SessionConfiguration {
    // Room for the chunked-cookie test's 6 KB of custom claims.
    let keys = try KeyRingProvider(source: .custom { spec.value }) { ring throws(SessionTokenError) in
        try SessionSealer(keys: ring, maxTokenLength: 16_384)
    }
    let csrf = try csrf ?? .signed(SignedCSRF(key: SessionKey.derive(fromSecret: Array("the CSRF master secret of the test service, 32+ bytes".utf8), purpose: "csrf")))
    return SessionConfiguration(
        keys: keys, format: nextAuth.map(SessionTokenFormat.nextAuth) ?? .native, policy: policy, csrf: csrf,
        clock: { clock.now }, revocations: revocations, deviceBinding: deviceBinding)
}

extension HTTPFields {
    /// The response's `Set-Cookie` values.
    var setCookies: [String] { self[values: .setCookie] }
}

#endif
