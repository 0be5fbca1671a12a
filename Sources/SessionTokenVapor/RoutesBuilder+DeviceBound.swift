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
                let values = request.headers[.cookie]
                let cookie = values.count <= 1 ? values.first : values.joined(separator: "; ")
                let headers = request.headers
                let answer = await binding.respond(
                    method: "POST", path: path[...],
                    header: { name in name == "Cookie" ? cookie : headers.first(name: name) },
                    configuration: configuration)
                return Response(deviceBound: answer)
            }
        }
    }
}

extension Response {
    /// A device-bound endpoint's answer as a Vapor response; 404 when there was none.
    convenience init(deviceBound answer: DeviceBindingResponse?) {
        var fields = HTTPHeaders()
        for (name, value) in answer?.headers ?? [] { fields.add(name: name, value: value) }
        self.init(
            status: HTTPResponseStatus(statusCode: answer?.status ?? 404), headers: fields,
            body: .init(data: Data(answer?.body ?? [])))
    }
}
#endif
