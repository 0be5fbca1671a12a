#if Vapor
public import SessionTokenHTTP
public import Vapor

extension RoutesBuilder {
    /// Registers the device-bound session endpoints of `configuration`
    /// (`SessionConfiguration/deviceBinding`): `POST` to its registration and refresh paths.
    ///
    /// Vapor runs a route group's middleware only for the group's routes, so a
    /// ``SessionTokenMiddleware`` added to a group never sees a request for a path it has no
    /// route for. Register the endpoints on the same group (outside any CSRF check: the
    /// browser's proof is its device key's signature), or add the middleware globally with
    /// `app.middleware.use(_:)`, which serves them without routes.
    ///
    /// ```swift
    /// let sessions = app.grouped(SessionTokenMiddleware(configuration))
    /// sessions.deviceBoundEndpoints(configuration)
    /// ```
    public func deviceBoundEndpoints(_ configuration: SessionConfiguration) {
        guard let binding = configuration.deviceBinding else { return }
        for path in [binding.registrationPath, binding.refreshPath] {
            let components = path.split(separator: "/").map { PathComponent.constant(String($0)) }
            on(.POST, components) { request async -> Response in
                await binding.respond(method: "POST", path: path, headers: request.headers, configuration: configuration)
            }
        }
    }
}

extension DeviceBinding {
    /// The endpoint's answer to a request with these parts, as a Vapor response (404 when the
    /// path is neither endpoint): for the routes above and the global middleware alike.
    func respond(method: String, path: String, headers: HTTPHeaders, configuration: SessionConfiguration) async
        -> Response
    {
        let cookie = headers.cookieHeader
        let answer = await respond(
            method: method, path: path[...], header: { name in name == "Cookie" ? cookie : headers.first(name: name) },
            configuration: configuration)
        var fields = HTTPHeaders()
        for (name, value) in answer?.headers ?? [] { fields.add(name: name, value: value) }
        return Response(
            status: HTTPResponseStatus(statusCode: answer?.status ?? 404), headers: fields,
            body: .init(data: Data(answer?.body ?? [])))
    }
}

extension HTTPHeaders {
    /// The `Cookie` header; several (HTTP/2 may split one) joined with `; ` as RFC 9113 §8.2.3 says.
    var cookieHeader: String? {
        let values = self[.cookie]
        return values.count <= 1 ? values.first : values.joined(separator: "; ")
    }
}
#endif
