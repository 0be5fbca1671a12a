public import SessionTokenHTTP

extension CSRFProtection {
    /// next-auth's `token|hash` CSRF cookie, interoperable with its front end.
    ///
    /// - Parameters:
    ///   - csrf: The codec with next-auth's secret.
    ///   - formField: The form field's name; next-auth's is `csrfToken`.
    ///   - headerName: The header's name.
    public static func nextAuth(
        _ csrf: NextAuthCSRF, formField: String = "csrfToken", headerName: String = "X-CSRF-Token"
    ) -> CSRFProtection {
        CSRFProtection(scheme: csrf, formField: formField, headerName: headerName)
    }
}

extension NextAuthCSRF: CSRFScheme {
    // next-auth's tokens are not bound to a session: its front end makes them before sign-in.
    package func reusableToken(cookieValue: String?, binding: String) -> String? {
        cookieValue.flatMap(token(fromCookieValue:))
    }

    package func makeToken(binding: String) -> (token: String, cookieValue: String) {
        let token = makeToken()
        return (token, cookieValue(for: token))
    }

    package func verify(cookieValue: String?, submitted: String?, binding: String) -> Bool {
        verify(cookieValue: cookieValue, submitted: submitted)
    }
}
