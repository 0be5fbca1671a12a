import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenVapor
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)

// Start-up: keys from `session-token keygen`, a CSRF secret of at least 32 bytes, the origin.
let port = Environment.get("PORT").flatMap(Int.init) ?? 8080
let origin = Environment.get("ORIGIN") ?? "http://127.0.0.1:\(port)"
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
let keys = try KeyRingProvider(source: .environment("SESSION_TOKEN_KEYS"))
let csrfKey = try SessionKey.derive(fromSecret: Environment.get("CSRF_SECRET") ?? "", purpose: "csrf")
let sessions = SessionConfiguration(
    keys: keys, policy: .native(secure: origin.hasPrefix("https:")),  // Secure cookies over https
    csrf: .signed(SignedCSRF(key: csrfKey)))
let callbacks = try CallbackURLValidator(origin: origin)  // redirects stay on this origin

let routes = app.grouped(
    SessionTokenMiddleware(sessions),  // opens the cookie, writes the response's
    CSRFMiddleware(),  // 403 on POST, PUT, PATCH, DELETE without a valid token
    SessionTokenAuthenticator())  // logs the verified session in

// The token for a form's hidden field `csrfToken` (or the header X-CSRF-Token); new after sign-in.
routes.get("csrf") { req in try req.sessionToken.csrfToken() }
routes.post("signin") { req in
    // Check the user's password here; the quick start signs everyone in as user-42.
    try req.sessionToken.signIn(subject: "user-42")
    // Back to `?callbackUrl=/inbox`, or to the origin when it points elsewhere.
    return req.redirect(to: req.callbackURL(validatedBy: callbacks), redirectType: .normal)  // 303
}
routes.post("signout") { req -> HTTPStatus in
    try req.sessionToken.signOut()  // expires the session cookie
    return .noContent
}
routes.grouped(OpenedSession.guardMiddleware())
    .get("me") { req in try req.auth.require(OpenedSession.self).subject }  // 401 when signed out

try await app.execute()
try await app.asyncShutdown()
