#if Vapor
import SessionTokenHTTP
public import Vapor

/// The double-submit CSRF check on every unsafe request (`POST`, `PUT`, `PATCH`, `DELETE`, ...):
/// the token from the configured header, or else from the configured field of an
/// `application/x-www-form-urlencoded` body, must match the request's CSRF cookie
/// (`CSRFProtection`). A request that fails gets a 403 before the route
/// runs. Place it after ``SessionTokenMiddleware``, whose configuration holds the check; embed
/// `req.sessionToken.csrfToken()` in your forms.
public struct CSRFMiddleware: AsyncMiddleware {
    /// The largest form body read for the token; a larger one fails the check.
    public let maxFormBytes: Int

    /// A CSRF middleware.
    ///
    /// - Parameter maxFormBytes: The largest form body read, 64 KiB by default.
    public init(maxFormBytes: Int = 65_536) {
        self.maxFormBytes = maxFormBytes
    }

    /// Checks the token on unsafe methods, then runs the route with the body still readable.
    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let passes = await request.sessionToken.passesCSRFCheck(
            method: request.method.rawValue,
            header: { request.headers.first(name: $0) },
            isURLEncodedForm: request.headers.contentType == .urlEncodedForm,
            body: {
                // The collected body stays on the request, so the route still decodes the form.
                (try? await request.body.collect(max: maxFormBytes).get()).map { String(buffer: $0) }
            })
        guard passes else {
            throw Abort(.forbidden, reason: "CSRF token missing or invalid")
        }
        return try await next.respond(to: request)
    }
}
#endif
