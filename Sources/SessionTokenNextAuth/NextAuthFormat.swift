/// Which next-auth generation a session token belongs to: it fixes how the secret becomes a
/// key, the header a token carries, and the size of cookie chunks.
///
/// | | ``v4`` | ``v5(cookieName:)`` |
/// |---|---|---|
/// | package | next-auth 4 | next-auth 5 / Auth.js (`@auth/core`) |
/// | HKDF-SHA-256 salt | empty | the session cookie's name |
/// | HKDF info | `NextAuth.js Generated Encryption Key` | `Auth.js Generated Encryption Key (<cookie name>)` |
/// | key | 32 bytes | 64 bytes (32 for `A256GCM`) |
/// | header | `{"alg":"dir","enc":"A256GCM"}` | `{"alg":"dir","enc":"A256CBC-HS512","kid":"<thumbprint>"}` |
/// | cookie | `next-auth.session-token` | `authjs.session-token` |
public enum NextAuthFormat: Sendable, Hashable {
    /// next-auth v4: HKDF with an empty salt, `dir` + `A256GCM`, no `kid`.
    ///
    /// next-auth v4 writes no `kid` and jose ignores one when decoding, so a `kid` in a v4
    /// token selects nothing: with several secrets, each is tried in order.
    case v4
    /// Auth.js v5: HKDF salted with the session cookie's name, `dir` + `A256CBC-HS512` with a
    /// thumbprint `kid` (`A256GCM` accepted when decoding).
    ///
    /// The name is part of the key: a token set as `__Secure-authjs.session-token` (https) does
    /// not decode with `authjs.session-token` (http), and the reverse.
    case v5(cookieName: String)

    /// Auth.js v5 with its default session cookie name for http or https.
    ///
    /// - Parameter secure: True when the site is served over https, where the cookie name
    ///   carries the `__Secure-` prefix.
    public static func v5(secure: Bool) -> NextAuthFormat {
        .v5(cookieName: secure ? "__Secure-authjs.session-token" : "authjs.session-token")
    }

    /// The default session cookie name of this format. For ``v5(cookieName:)`` it is the name
    /// the key is derived from, whatever `secure` says.
    ///
    /// - Parameter secure: True when the site is served over https (`__Secure-` prefix).
    public func sessionCookieName(secure: Bool) -> String {
        switch self {
        case .v4: return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token"
        case .v5(let cookieName): return cookieName
        }
    }

    /// The longest cookie value next-auth writes before it splits the token into chunks:
    /// 3933 characters for v4 and 3936 for v5.
    public var chunkSize: Int {
        switch self {
        case .v4: return 3933
        case .v5: return 3936
        }
    }
}
