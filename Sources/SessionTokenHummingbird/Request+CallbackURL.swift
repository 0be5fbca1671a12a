#if Hummingbird
public import Hummingbird
public import SessionCookies

extension Request {
    /// Where to send the user after sign-in: the query parameter `parameter` (next-auth's
    /// `callbackUrl`), checked by `validator`, so it can never be an open redirect; the
    /// validator's origin when the parameter is absent or off-site.
    public func callbackURL(validatedBy validator: CallbackURLValidator, parameter: String = "callbackUrl") -> String {
        guard let value = uri.queryParameters[parameter[...]] else { return validator.origin }
        return validator.validate(String(value))
    }
}
#endif
