public import SessionCookies

/// The double-submit CSRF check a middleware runs on every unsafe request: the token in the CSRF
/// cookie must equal the one the form field or header submits, and be valid.
///
/// - ``signed(_:formField:headerName:)``: the library's `SignedCSRF`, bound to
///   the session (its subject and first sign-in time), so a token planted by an attacker for
///   their own session fails for the victim's. Signed-out requests (a sign-in form) are bound to
///   the empty session, which the `__Host-` prefix of the policy's CSRF cookie keeps from being
///   planted by a sibling subdomain.
/// - `nextAuth(_:formField:headerName:)` (in `SessionTokenNextAuth`): next-auth's `token|hash`
///   cookie, for a service that shares next-auth's front end and `NEXTAUTH_SECRET`.
public struct CSRFProtection: Sendable {
    let scheme: any CSRFScheme
    /// The form field that carries the token in an `application/x-www-form-urlencoded` body.
    public let formField: String
    /// The header that carries the token (for scripts), checked before the form.
    public let headerName: String

    package init(scheme: any CSRFScheme, formField: String, headerName: String) {
        self.scheme = scheme
        self.formField = formField
        self.headerName = headerName
    }

    /// The library's signed double-submit token.
    ///
    /// - Parameters:
    ///   - csrf: The codec, with a key of its own (`SessionKey.derive(fromSecret:purpose:id:encryption:)`).
    ///   - formField: The form field's name; next-auth's is `csrfToken`.
    ///   - headerName: The header's name.
    public static func signed(_ csrf: SignedCSRF, formField: String = "csrfToken", headerName: String = "X-CSRF-Token")
        -> CSRFProtection
    {
        CSRFProtection(scheme: csrf, formField: formField, headerName: headerName)
    }

    /// True for the methods that change state and must carry a token: everything but `GET`,
    /// `HEAD`, `OPTIONS` and `TRACE` (RFC 9110 §9.2.1's safe methods).
    public static func requiresCheck(method: String) -> Bool {
        switch method {
        case "GET", "HEAD", "OPTIONS", "TRACE": return false
        default: return true
        }
    }

    /// The token a request submits: the header's value when present, else the form field of an
    /// urlencoded body (read only then, and at most `maxFormBytes`). The one extraction every
    /// framework's CSRF middleware uses.
    ///
    /// - Parameters:
    ///   - header: The request's value of a header, by name.
    ///   - isURLEncodedForm: Whether the body is `application/x-www-form-urlencoded`.
    ///   - body: Reads the body (kept readable for the handler); nil when it cannot, or is too long.
    package func submittedToken(
        header: (String) -> String?, isURLEncodedForm: @autoclosure () -> Bool, body: () async -> String?
    ) async -> String? {
        if let value = header(headerName) { return value }
        guard isURLEncodedForm(), let body = await body() else { return nil }
        return FormFields.value(of: formField, in: body)
    }
}

/// One CSRF token format: the library's signed tokens, or next-auth's.
package protocol CSRFScheme: Sendable {
    /// The token to embed in a form, from the request's CSRF cookie when that one is valid for
    /// `binding`; nil when a new token must be made.
    func reusableToken(cookieValue: String?, binding: String) -> String?
    /// A new token and the CSRF cookie's value (before percent-encoding) that carries it.
    func makeToken(binding: String) -> (token: String, cookieValue: String)
    /// True when `submitted` matches a valid CSRF cookie for `binding`, in constant time.
    func verify(cookieValue: String?, submitted: String?, binding: String) -> Bool
}

extension SignedCSRF: CSRFScheme {
    package func reusableToken(cookieValue: String?, binding: String) -> String? {
        guard let cookieValue else { return nil }
        return verify(cookieValue: cookieValue, submitted: cookieValue, sessionID: binding) ? cookieValue : nil
    }

    package func makeToken(binding: String) -> (token: String, cookieValue: String) {
        let token = makeToken(sessionID: binding)
        return (token, token)
    }

    package func verify(cookieValue: String?, submitted: String?, binding: String) -> Bool {
        verify(cookieValue: cookieValue, submitted: submitted, sessionID: binding)
    }
}
