#if Vapor
public import SessionTokenHTTP
public import SessionCookies
public import Vapor

extension Request {
    private struct SessionTokenKey: StorageKey {
        typealias Value = RequestSession
    }

    /// The request's session, opened by ``SessionTokenMiddleware``; signed out (and refusing to
    /// sign in or out) when no such middleware ran.
    public var sessionToken: RequestSession {
        get { storage[SessionTokenKey.self] ?? RequestSession() }
        set { storage[SessionTokenKey.self] = newValue }
    }

    /// Where to send the user after sign-in: the query parameter `parameter` (next-auth's
    /// `callbackUrl`), checked by `validator`, so it can never be an open redirect; the
    /// validator's origin when the parameter is absent or off-site.
    public func callbackURL(validatedBy validator: CallbackURLValidator, parameter: String = "callbackUrl") -> String {
        guard let value = query[String.self, at: parameter] else { return validator.origin }
        return validator.validate(value)
    }
}
#endif
