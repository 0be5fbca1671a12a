#if Hummingbird
import HTTPTypes
public import Hummingbird
public import SessionTokenHTTP

/// Opens the session cookie of every request and writes the cookies the response must set.
///
/// Before the handler, the request's `Cookie` header is read once and its token opened under the
/// key ring current at that moment (a `KeyRingProvider.reload()` takes effect on the
/// next request); the result is `context.sessionToken`. An absent, malformed, tampered or
/// expired cookie leaves the request signed out: the handler decides between a 401 and a redirect
/// (``SessionTokenAuthenticator`` with `IsAuthenticatedMiddleware` gives the 401).
///
/// After the handler, the response carries the new session cookie after
/// `RequestSession.signIn(subject:)`, expiring lines for every chunk after
/// `RequestSession.signOut()`, the re-sealed cookie when the token was due for
/// re-issue, and nothing otherwise. A response that sets any of these cookies also says
/// `Cache-Control: private, no-store` (unless the handler already said `no-store`) and
/// `Vary: Cookie`, so that no shared cache stores one visitor's cookie for another.
public struct SessionTokenMiddleware<Context: SessionTokenRequestContext>: RouterMiddleware {
    /// The keys, policy, token format and CSRF check.
    public let configuration: SessionConfiguration

    /// A middleware for a configuration.
    public init(_ configuration: SessionConfiguration, context: Context.Type = Context.self) {
        self.configuration = configuration
    }

    /// Opens the session, runs the handler, and sets the response's cookies.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let binding = configuration.deviceBinding {
            // The device-bound session endpoints answer before any route (their proof is the
            // device's signature, not a CSRF token); every other request has its skips counted.
            let headers = request.headers
            if let answer = await binding.respond(
                method: request.method.rawValue, path: request.uri.path[...],
                header: { name in
                    name == "Cookie" ? headers.cookieHeader : HTTPField.Name(name).flatMap { headers[$0] }
                }, configuration: configuration)
            {
                var fields = HTTPFields()
                for (name, value) in answer.headers {
                    if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
                }
                return Response(
                    status: .init(code: answer.status), headers: fields,
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
            }
            binding.observeSkipped(skippedField.flatMap { headers[$0] })
        }
        var context = context
        let session = configuration.open(cookieHeader: request.headers.cookieHeader)
        context.sessionToken = session
        var response = try await next(request, context)
        if configuration.deviceBinding != nil {
            for (name, value) in session.responseHeaders() {
                if let name = HTTPField.Name(name) { response.headers.append(HTTPField(name: name, value: value)) }
            }
        }
        let lines = session.responseSetCookies()
        guard !lines.isEmpty else { return response }
        for line in lines {
            response.headers.append(HTTPField(name: .setCookie, value: line))
        }
        if let cacheControl = RequestSession.cacheControl(replacing: response.headers[.cacheControl]) {
            response.headers[.cacheControl] = cacheControl
        }
        if let vary = RequestSession.vary(adding: response.headers[values: .vary].joined(separator: ", ")) {
            response.headers[.vary] = vary
        }
        return response
    }
}

/// `Secure-Session-Skipped`, made once rather than on every request.
private let skippedField = HTTPField.Name(DeviceBinding.skippedFieldName)

extension HTTPFields {
    /// The `Cookie` header; several (HTTP/2 may split one) joined with `; ` as RFC 9113 §8.2.3 says.
    var cookieHeader: String? {
        // A walk over the fields rather than `self[values:]`, which makes an array a request.
        var header: String?
        for field in self where field.name == .cookie {
            header = header.map { $0 + "; " + field.value } ?? field.value
        }
        return header
    }
}
#endif
