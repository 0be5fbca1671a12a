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
        var random = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        defer { withUnsafeMutableBytes(of: &random) { SecretMemory.wipe($0) } }
        return withUnsafeMutableBytes(of: &random) { random in
            SecureRandom.fill(random)
            return SecretMemory.hex(UnsafeRawBufferPointer(random))
        }
    }

    /// The cookie value for `token`: `token|sha256hex(token + secret)`, before percent-encoding.
    public func cookieValue(for token: String) -> String {
        var token = token
        return token.withUTF8 { token in
            String(unsafeUninitializedCapacity: token.count + 1 + 2 * SodiumSHA256.outputBytes) { value in
                let value = UnsafeMutableRawBufferPointer(value)
                UnsafeMutableRawBufferPointer(rebasing: value[0..<token.count]).copyMemory(from: UnsafeRawBufferPointer(token))
                value[token.count] = UInt8(ascii: "|")
                hash(UnsafeRawBufferPointer(token), into: UnsafeMutableRawBufferPointer(rebasing: value[(token.count + 1)...]))
                return value.count
            }
        }
    }

    /// The token of a CSRF cookie whose hash is right, so that it can be reused (next-auth keeps
    /// the cookie's token while it verifies); nil otherwise. Accepts the value as sent (`%7C`)
    /// or decoded (`|`).
    public func token(fromCookieValue cookieValue: String) -> String? {
        withVerifiedToken(cookieValue) { token in
            token.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// True when the cookie is intact and `submitted` (the form's `csrfToken`) equals its token.
    ///
    /// The cookie is read in place and both comparisons run in constant time: a value as
    /// next-auth writes it allocates nothing.
    ///
    /// - Parameters:
    ///   - cookieValue: The CSRF cookie's value as sent; nil when the request had none.
    ///   - submitted: The `csrfToken` form field; nil when absent.
    public func verify(cookieValue: String?, submitted: String?) -> Bool {
        guard let cookieValue, var submitted else { return false }
        return withVerifiedToken(cookieValue) { token in
            guard let token else { return false }
            return submitted.withUTF8 { SecretMemory.equal(token, UnsafeRawBufferPointer($0)) }
        }
    }

    /// Never shows the secret.
    public var description: String { "NextAuthCSRF(secret: <redacted>)" }

    /// The cookie's token bytes when its hash is right, else nil, passed to `body`.
    ///
    /// next-auth writes `<token>%7C<hash>` (and a decoded value is `<token>|<hash>`): both are
    /// read where they lie. Any other escape takes the general decoder first, so that a value
    /// decodes exactly as `CookieValueCoding` decodes it; only a crafted value pays for that.
    private func withVerifiedToken<R>(_ cookieValue: String, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        var value = cookieValue
        let direct: Bool? = value.withUTF8 { bytes in
            let bytes = UnsafeRawBufferPointer(bytes)
            if bytes.count == 131, bytes[64] == UInt8(ascii: "%"), bytes[65] == UInt8(ascii: "7"),
               bytes[66] | 0x20 == UInt8(ascii: "c"), !bytes[67...].contains(UInt8(ascii: "%")) {
                return true
            }
            return bytes.contains(UInt8(ascii: "%")) ? nil : false
        }
        if direct == nil {
            // A bad escape leaves the value as it is, which then fails the shape check.
            value = CookieValueCoding.decode(value) ?? value
        }
        return value.withUTF8 { bytes in
            let bytes = UnsafeRawBufferPointer(bytes)
            let separator = direct == true ? 3 : 1
            guard bytes.count == 64 + separator + 64, direct == true || bytes[64] == UInt8(ascii: "|") else { return body(nil) }
            let token = UnsafeRawBufferPointer(rebasing: bytes[0..<64])
            let given = UnsafeRawBufferPointer(rebasing: bytes[(64 + separator)...])
            // The token's shape is public; the hash is compared in constant time.
            guard CookieSyntax.isLowerHex(token) else { return body(nil) }
            var expected = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            defer { withUnsafeMutableBytes(of: &expected) { SecretMemory.wipe($0) } }
            let matches = withUnsafeMutableBytes(of: &expected) { expected in
                hash(token, into: expected)
                return SecretMemory.equal(given, UnsafeRawBufferPointer(expected))
            }
            return body(matches ? token : nil)
        }
    }

    /// Writes the lowercase hex SHA-256 of `token + secret` (64 bytes) into `output`; the digest
    /// is wiped.
    private func hash(_ token: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        defer { withUnsafeMutableBytes(of: &digest) { SecretMemory.wipe($0) } }
        withUnsafeMutableBytes(of: &digest) { digest in
            secret.withUnsafeBytes { SodiumSHA256.hash(token, $0, into: digest) }
            SecretMemory.hex(UnsafeRawBufferPointer(digest), into: output)
        }
    }
}
