import HTTPTypes
import Hummingbird

/// The browser protections on every response, errors and 404s included.
///
/// - `Content-Security-Policy`: scripts, styles and forms only from this origin, and no page of
///   ours inside another site's frame (clickjacking the sign-out buttons). The pages have no
///   inline script or style for this to allow: both are files the service serves (``Pages``).
/// - `X-Content-Type-Options: nosniff`: a response is only ever what its type says.
/// - `Referrer-Policy: same-origin`: our URLs (a callback URL in the query) never leave the site.
/// - `Strict-Transport-Security` with `--secure`: browsers come back over https only.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String { "default-src 'self'; frame-ancestors 'none'; form-action 'self'" }

    let secure: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Made into a response here rather than by the server, so that it gets the headers too.
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("request failed: \(type(of: error))")
            response = Response(status: .internalServerError)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if secure {
            // A year, the usual minimum for preload lists; subdomains are not ours to speak for.
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        return response
    }
}

extension HTTPField.Name {
    // HTTPTypes has no constant for it; the name is a valid token, so the initialiser cannot fail.
    fileprivate static var referrerPolicy: Self { .init("Referrer-Policy")! }
}
