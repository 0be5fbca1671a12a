package import Foundation
package import SessionCookies
package import SessionToken

/// Device-bound sessions (W3C DBSC) for a ``SessionConfiguration``: made by
/// `SessionTokenDeviceBound`'s `DeviceBinding.deviceBound(origin:...)`, which brings
/// swift-crypto for the browsers' signatures, so a service without it builds none.
///
/// The framework middlewares serve its two endpoints (``registrationPath`` and
/// ``refreshPath``) before any route, add its registration offer to a sign-in's response, and
/// count `Secure-Session-Skipped`; an application only configures it.
public struct DeviceBinding: Sendable {
    package let implementation: any DeviceBindingImplementation

    package init(_ implementation: any DeviceBindingImplementation) {
        self.implementation = implementation
    }

    /// Where browsers register a device key (`POST`).
    public var registrationPath: String { implementation.registrationPath }
    /// Where browsers refresh a device-bound session's cookie (`POST`).
    public var refreshPath: String { implementation.refreshPath }

    /// The answer for a request to one of the two endpoints; nil for any other request, which
    /// goes on to the application.
    ///
    /// - Parameters:
    ///   - method: The request's method.
    ///   - path: The request's path, without the query.
    ///   - header: The request's header field of a name, or nil.
    ///   - configuration: The session configuration this binding belongs to.
    public func respond(
        method: String, path: Substring, header: (String) -> String?, configuration: SessionConfiguration
    ) async -> DeviceBindingResponse? {
        guard path == implementation.registrationPath || path == implementation.refreshPath else { return nil }
        guard method == "POST" else {
            return DeviceBindingResponse(status: 405, headers: [("Allow", "POST")], body: [])
        }
        return await implementation.respond(
            path: path, header: header, configuration: configuration, at: configuration.clock())
    }

    /// Counts a request's `Secure-Session-Skipped` field: the browser wanted a refresh and went
    /// ahead without one. Cheap when the field is absent, as it is on almost every request.
    public func observeSkipped(_ field: String?) {
        guard let field else { return }
        implementation.observeSkipped(field)
    }

    /// The name of the field ``observeSkipped(_:)`` reads.
    public static let skippedFieldName = "Secure-Session-Skipped"
}

/// What a device-bound session endpoint answers: a status, header fields, and a body.
public struct DeviceBindingResponse: Sendable {
    /// The HTTP status.
    public let status: Int
    /// Header fields, in order; `Set-Cookie` may repeat.
    public let headers: [(name: String, value: String)]
    /// The body (JSON session instructions, or empty).
    public let body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The steps behind ``DeviceBinding``, supplied by `SessionTokenDeviceBound`.
package protocol DeviceBindingImplementation: Sendable {
    var registrationPath: String { get }
    var refreshPath: String { get }

    /// Registration or refresh, for a `POST` to one of the paths.
    func respond(path: Substring, header: (String) -> String?, configuration: SessionConfiguration, at now: Date)
        async -> DeviceBindingResponse

    /// The `Secure-Session-Registration` offer for a native session just signed in, as a
    /// header field; nil when none can be made.
    func registrationOffer(for session: VerifiedSession, sealer: SessionSealer, at now: Date) -> (
        name: String, value: String
    )?

    func observeSkipped(_ field: String)

    /// The session ended by a sign-out.
    func observeSignOut()

    /// The `Set-Cookie` lines a sign-out of a device-bound session adds: the ticket expired, so
    /// that the browser's next refresh ends the session even when no revocation was written.
    func signOutLines(policy: CookiePolicy) -> [String]
}
