#if Hummingbird
import HTTPTypes
public import Hummingbird
import SessionTokenHTTP

/// The double-submit CSRF check on every unsafe request (`POST`, `PUT`, `PATCH`, `DELETE`, ...):
/// the token from the configured header, or else from the configured field of an
/// `application/x-www-form-urlencoded` body, must match the request's CSRF cookie
/// (`CSRFProtection`). A request that fails gets a 403 before the handler
/// runs. Place it after ``SessionTokenMiddleware``, whose configuration holds the check; embed
/// `RequestSession.csrfToken()` in your forms.
public struct CSRFMiddleware<Context: SessionTokenRequestContext>: RouterMiddleware {
    /// The largest form body read for the token; a larger one fails the check.
    public let maxFormBytes: Int

    /// A CSRF middleware.
    ///
    /// - Parameters:
    ///   - context: The application's request context type, when the router does not imply it.
    ///   - maxFormBytes: The largest form body read, 64 KiB by default.
    public init(context: Context.Type = Context.self, maxFormBytes: Int = 65_536) {
        self.maxFormBytes = maxFormBytes
    }

    /// Checks the token on unsafe methods, then runs the handler with the body still readable.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        let passes = await context.sessionToken.passesCSRFCheck(
            method: request.method.rawValue,
            header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } },
            isURLEncodedForm: request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            body: {
                // collectBody keeps the bytes on the request, so the handler still decodes the form.
                (try? await request.collectBody(upTo: maxFormBytes)).map { String(buffer: $0) }
            })
        guard passes else {
            throw HTTPError(.forbidden, message: "CSRF token missing or invalid")
        }
        return try await next(request, context)
    }
}
#endif
