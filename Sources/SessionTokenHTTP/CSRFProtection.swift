import SessionCookies
import SessionTokenNextAuth

/// The double-submit CSRF check a middleware runs on every unsafe request: the token in the CSRF
/// cookie must equal the one the form field or header submits, and be valid.
///
/// - ``signed(_:formField:headerName:)``: the library's `SignedCSRF`, bound to
///   the session (its subject and first sign-in time), so a token planted by an attacker for
///   their own session fails for the victim's. Signed-out requests (a sign-in form) are bound to
///   the empty session, which the `__Host-` prefix of the policy's CSRF cookie keeps from being
///   planted by a sibling subdomain.
/// - ``nextAuth(_:formField:headerName:)``: next-auth's `token|hash` cookie, for a service that
///   shares next-auth's front end and `NEXTAUTH_SECRET`.
public struct CSRFProtection: Sendable {
    enum Scheme: Sendable {
        case signed(SignedCSRF)
        case nextAuth(NextAuthCSRF)
    }

    let scheme: Scheme
    /// The form field that carries the token in an `application/x-www-form-urlencoded` body.
    public let formField: String
    /// The header that carries the token (for scripts), checked before the form.
    public let headerName: String

    /// The library's signed double-submit token.
    ///
    /// - Parameters:
    ///   - csrf: The codec, with a key of its own (`SessionKey.derive(fromSecret:purpose:id:encryption:)`).
    ///   - formField: The form field's name; next-auth's is `csrfToken`.
    ///   - headerName: The header's name.
    public static func signed(_ csrf: SignedCSRF, formField: String = "csrfToken", headerName: String = "X-CSRF-Token")
        -> CSRFProtection
    {
        CSRFProtection(scheme: .signed(csrf), formField: formField, headerName: headerName)
    }

    /// next-auth's token, interoperable with its front end.
    ///
    /// - Parameters:
    ///   - csrf: The codec with next-auth's secret.
    ///   - formField: The form field's name; next-auth's is `csrfToken`.
    ///   - headerName: The header's name.
    public static func nextAuth(
        _ csrf: NextAuthCSRF, formField: String = "csrfToken", headerName: String = "X-CSRF-Token"
    ) -> CSRFProtection {
        CSRFProtection(scheme: .nextAuth(csrf), formField: formField, headerName: headerName)
    }

    /// True for the methods that change state and must carry a token: everything but `GET`,
    /// `HEAD`, `OPTIONS` and `TRACE` (RFC 9110 §9.2.1's safe methods).
    public static func requiresCheck(method: String) -> Bool {
        switch method {
        case "GET", "HEAD", "OPTIONS", "TRACE": return false
        default: return true
        }
    }

    /// The token to embed in a form, from the request's CSRF cookie when that one is valid for
    /// `binding`; nil when a new token must be made.
    func reusableToken(cookieValue: String?, binding: String) -> String? {
        guard let cookieValue else { return nil }
        switch scheme {
        case .signed(let csrf):
            return csrf.verify(cookieValue: cookieValue, submitted: cookieValue, sessionID: binding) ? cookieValue : nil
        case .nextAuth(let csrf):
            return csrf.token(fromCookieValue: cookieValue)
        }
    }

    /// A new token and the CSRF cookie's value (before percent-encoding) that carries it.
    func makeToken(binding: String) -> (token: String, cookieValue: String) {
        switch scheme {
        case .signed(let csrf):
            let token = csrf.makeToken(sessionID: binding)
            return (token, token)
        case .nextAuth(let csrf):
            let token = csrf.makeToken()
            return (token, csrf.cookieValue(for: token))
        }
    }

    /// True when `submitted` matches a valid CSRF cookie for `binding`, in constant time.
    func verify(cookieValue: String?, submitted: String?, binding: String) -> Bool {
        switch scheme {
        case .signed(let csrf): return csrf.verify(cookieValue: cookieValue, submitted: submitted, sessionID: binding)
        case .nextAuth(let csrf): return csrf.verify(cookieValue: cookieValue, submitted: submitted)
        }
    }
}
