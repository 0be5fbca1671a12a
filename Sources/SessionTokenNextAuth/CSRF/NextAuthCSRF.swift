public import SessionCookies
import SessionToken
import SessionTokenInternals

/// next-auth's CSRF double-submit token: interoperable with a next-auth front end that shares
/// `NEXTAUTH_SECRET`.
///
/// - The token is 32 random bytes from libsodium's CSPRNG as 64 lowercase hex characters.
/// - The cookie value is `token|hash`, with `hash` the lowercase hex SHA-256 of the string
///   `token + secret`; `CookieWriter` writes the `|` as `%7C`, as next-auth does.
/// - A request is verified when the cookie's hash is right for its token and the form field
///   `csrfToken` equals that token; both comparisons run in constant time.
///
/// It lives with next-auth's session codec because it is next-auth's format and shares its
/// secret; it needs only the cookie layer and libsodium's SHA-256. For services that are not
/// next-auth, prefer `SignedCSRF` (SessionCookies), which binds the token to the session.
public struct NextAuthCSRF: Sendable, CustomStringConvertible {
    /// The secret's bytes, in storage that `sodium_memzero` wipes when the last copy of this
    /// value is released.
    private let secret: SecretBytes

    /// A CSRF codec with next-auth's secret.
    ///
    /// - Throws: `CookieError.configuration` for an empty secret.
    public init(secret: String) throws(CookieError) {
        guard !secret.isEmpty else { throw .configuration("the CSRF secret must not be empty") }
        var bytes = Array(secret.utf8)
        defer { SecretMemory.wipe(&bytes) }
        self.secret = bytes.withUnsafeBytes { source in
            SecretBytes(count: source.count) { $0.copyMemory(from: source) }
        }
    }

    /// A fresh token: 64 lowercase hex characters from 32 random bytes.
    public func makeToken() -> String {
        var bytes = SecureRandom.bytes(count: 32)
        defer { SecretMemory.wipe(&bytes) }
        return CookieSyntax.hex(bytes)
    }

    /// The cookie value for `token`: `token|sha256hex(token + secret)`, before percent-encoding.
    public func cookieValue(for token: String) -> String {
        "\(token)|\(hash(token))"
    }

    /// The token of a CSRF cookie whose hash is right, so that it can be reused (next-auth keeps
    /// the cookie's token while it verifies); nil otherwise. Accepts the value as sent (`%7C`)
    /// or decoded (`|`).
    public func token(fromCookieValue cookieValue: String) -> String? {
        let value = cookieValue.replacingOccurrencesOfEncodedBar()
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, CookieSyntax.isLowerHex(parts[0], count: 64), parts[1].utf8.count == 64 else {
            return nil
        }
        let token = String(parts[0])
        let expected = hash(token)
        let matches = Array(parts[1].utf8).withUnsafeBytes { given in
            Array(expected.utf8).withUnsafeBytes { SecretMemory.equal(given, $0) }
        }
        return matches ? token : nil
    }

    /// True when the cookie is intact and `submitted` (the form's `csrfToken`) equals its token.
    ///
    /// - Parameters:
    ///   - cookieValue: The CSRF cookie's value as sent; nil when the request had none.
    ///   - submitted: The `csrfToken` form field; nil when absent.
    public func verify(cookieValue: String?, submitted: String?) -> Bool {
        guard let cookieValue, let submitted, let token = token(fromCookieValue: cookieValue) else { return false }
        return Array(token.utf8).withUnsafeBytes { a in
            Array(submitted.utf8).withUnsafeBytes { SecretMemory.equal(a, $0) }
        }
    }

    /// Never shows the secret.
    public var description: String { "NextAuthCSRF(secret: <redacted>)" }

    private func hash(_ token: String) -> String {
        let digest = Array(token.utf8).withUnsafeBytes { tokenBytes in
            secret.withUnsafeBytes { SodiumSHA256.hash(parts: [tokenBytes, $0]) }
        }
        return CookieSyntax.hex(digest)
    }
}

extension String {
    /// `%7C` / `%7c` as `|`: the one escape next-auth's CSRF cookie carries.
    fileprivate func replacingOccurrencesOfEncodedBar() -> String {
        guard contains("%") else { return self }
        return CookieValueCoding.decode(self) ?? self
    }
}
