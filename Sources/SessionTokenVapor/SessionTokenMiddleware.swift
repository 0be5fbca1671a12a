#if Vapor
public import SessionTokenHTTP
public import Vapor

/// Opens the session cookie of every request and writes the cookies the response must set.
///
/// Before the route, the request's `Cookie` header is read once and its token opened under the
/// key ring current at that moment (a `KeyRingProvider.reload()` takes effect on
/// the next request); the result is `req.sessionToken`. An absent, malformed, tampered or
/// expired cookie leaves the request signed out: ``SessionTokenAuthenticator`` then logs nobody
/// in, and `guardMiddleware()` or `redirectMiddleware(path:)` decide.
///
/// After the route, the response carries the new session cookie after
/// `RequestSession.signIn(subject:)`, expiring lines for every chunk after
/// `RequestSession.signOut()`, the re-sealed cookie when the token was due
/// for re-issue, and nothing otherwise. A response that sets any of these cookies also says
/// `Cache-Control: private, no-store` (unless the route already said `no-store`) and
/// `Vary: Cookie`, so that no shared cache stores one visitor's cookie for another.
///
/// It is a `Middleware`, not an `AsyncMiddleware`: its work never waits, and Vapor 4 runs every
/// `AsyncMiddleware` through a task of its own, which cost a bare route more than the session
/// itself in `make bench-http` (the `vapor-noop-middleware` rows).
public struct SessionTokenMiddleware: Middleware {
    /// The keys, policy, token format and CSRF check.
    public let configuration: SessionConfiguration

    /// A middleware for a configuration.
    public init(_ configuration: SessionConfiguration) {
        self.configuration = configuration
    }

    /// Opens the session, runs the route, and sets the response's cookies.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let header = request.headers.cookieHeader
        if let binding = configuration.deviceBinding {
            // The device-bound session endpoints answer before any route (their proof is the
            // device's signature, not a CSRF token); every other request has its skips counted.
            let path = request.url.path
            if path == binding.registrationPath || path == binding.refreshPath {
                let configuration = configuration
                let method = request.method.rawValue
                let headers = request.headers
                return request.eventLoop.makeFutureWithTask {
                    await binding.respond(method: method, path: path, headers: headers, configuration: configuration)
                }
            }
            binding.observeSkipped(request.headers.first(name: DeviceBinding.skippedFieldName))
        }
        let session = configuration.open(cookieHeader: header)
        request.sessionToken = session
        return next.respond(to: request).map { response in
            if configuration.deviceBinding != nil {
                for (name, value) in session.responseHeaders() { response.headers.add(name: name, value: value) }
            }
            let lines = session.responseSetCookies()
            guard !lines.isEmpty else { return response }
            for line in lines {
                response.headers.add(name: .setCookie, value: line)
            }
            let existing = response.headers[.cacheControl]
            if let cacheControl = RequestSession.cacheControl(
                replacing: existing.isEmpty ? nil : existing.joined(separator: ", "))
            {
                response.headers.replaceOrAdd(name: .cacheControl, value: cacheControl)
            }
            let vary = response.headers[.vary]
            if let value = RequestSession.vary(adding: vary.isEmpty ? nil : vary.joined(separator: ", ")) {
                response.headers.replaceOrAdd(name: .vary, value: value)
            }
            return response
        }
    }
}
#endif
