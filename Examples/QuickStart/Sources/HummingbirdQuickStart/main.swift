import Foundation
import Hummingbird
import HummingbirdAuth
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird

// The request context carries the session and, once authenticated, the identity.
struct AppContext: AuthRequestContext, SessionTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: OpenedSession?
    var sessionToken = RequestSession()
    init(source: Source) { coreContext = .init(source: source) }
}

// Start-up: keys from `session-token keygen`, a CSRF secret of at least 32 bytes, the origin.
let environment = ProcessInfo.processInfo.environment
let port = Int(environment["PORT"] ?? "") ?? 8080
let origin = environment["ORIGIN"] ?? "http://127.0.0.1:\(port)"
let keys = try KeyRingProvider(source: .environment("SESSION_TOKEN_KEYS"))
let csrfKey = try SessionKey.derive(fromSecret: environment["CSRF_SECRET"] ?? "", purpose: "csrf")
let sessions = SessionConfiguration(
    keys: keys, policy: .native(secure: origin.hasPrefix("https:")),  // Secure cookies over https
    csrf: .signed(SignedCSRF(key: csrfKey)))
let callbacks = try CallbackURLValidator(origin: origin)  // redirects stay on this origin

let router = Router(context: AppContext.self)
router.add(middleware: SessionTokenMiddleware(sessions))  // opens the cookie, writes the response's
router.add(middleware: CSRFMiddleware())  // 403 on POST, PUT, PATCH, DELETE without a valid token
router.add(middleware: SessionTokenAuthenticator())  // the session is the identity

// The token for a form's hidden field `csrfToken` (or the header X-CSRF-Token); new after sign-in.
router.get("/csrf") { _, context in try context.sessionToken.csrfToken() }
router.post("/signin") { request, context in
    // Check the user's password here; the quick start signs everyone in as user-42.
    try context.sessionToken.signIn(subject: "user-42")
    // Back to `?callbackUrl=/inbox`, or to the origin when it points elsewhere.
    return Response(status: .seeOther, headers: [.location: request.callbackURL(validatedBy: callbacks)])
}
router.post("/signout") { _, context -> HTTPResponse.Status in
    try context.sessionToken.signOut()  // expires the session cookie
    return .noContent
}
router.group("/me").add(middleware: IsAuthenticatedMiddleware())
    .get { _, context in try context.requireIdentity().subject }  // 401 when signed out

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
