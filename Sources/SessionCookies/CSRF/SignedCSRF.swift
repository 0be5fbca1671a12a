public import SessionToken
import SessionTokenInternals

/// The signed double-submit cookie of OWASP's CSRF Prevention Cheat Sheet: the default CSRF
/// defence for services that are not next-auth.
///
/// The token is `hmac.random`: `random` is 32 bytes from libsodium's CSPRNG as 64 lowercase
/// hex characters, and `hmac` the lowercase hex HMAC-SHA-256, under a server key, of the message
/// `<length of sessionID>!<sessionID>!<length of random>!<random>` (lengths in UTF-8 bytes, as
/// decimal), which binds the token to the session. The server sets it as the CSRF cookie and
/// embeds the same token in its forms (or a header); a request is verified when the submitted
/// token equals the cookie and its HMAC is right for the request's session, both in constant
/// time. An attacker who can plant a cookie cannot forge one for the victim's session.
///
/// The session ID must stay the same for the whole session: with stateless tokens, use the
/// subject and the first sign-in time (`auth_time`), not `jti`, which changes at every re-issue.
///
/// ```swift
/// let csrf = SignedCSRF(key: try SessionKey.derive(fromSecret: master, purpose: "csrf"))
/// let token = csrf.makeToken(sessionID: "\(userID):\(signInTime)")
/// ```
public struct SignedCSRF: Sendable, CustomStringConvertible {
    private let key: SessionKey

    /// A CSRF codec with a 32-byte server key (derive one per purpose from a master secret with
    /// `SessionKey.derive(fromSecret:purpose:id:encryption:)`).
    public init(key: SessionKey) {
        self.key = key
    }

    /// A fresh token bound to `sessionID`.
    public func makeToken(sessionID: String) -> String {
        var bytes = SecureRandom.bytes(count: 32)
        defer { SecretMemory.wipe(&bytes) }
        let random = CookieSyntax.hex(bytes)
        return "\(mac(sessionID: sessionID, random: random)).\(random)"
    }

    /// True when `submitted` equals the cookie and the token's HMAC is right for `sessionID`.
    ///
    /// - Parameters:
    ///   - cookieValue: The CSRF cookie's value as sent; nil when the request had none.
    ///   - submitted: The token from the form or header; nil when absent.
    ///   - sessionID: The request's session identifier, as when the token was made.
    public func verify(cookieValue: String?, submitted: String?, sessionID: String) -> Bool {
        guard let cookieValue, let submitted else { return false }
        let same = Array(cookieValue.utf8).withUnsafeBytes { a in
            Array(submitted.utf8).withUnsafeBytes { SecretMemory.equal(a, $0) }
        }
        let parts = cookieValue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, CookieSyntax.isLowerHex(parts[0], count: 64), CookieSyntax.isLowerHex(parts[1], count: 64)
        else { return false }
        let expected = mac(sessionID: sessionID, random: String(parts[1]))
        let valid = Array(parts[0].utf8).withUnsafeBytes { a in
            Array(expected.utf8).withUnsafeBytes { SecretMemory.equal(a, $0) }
        }
        return same && valid
    }

    /// Never shows the key.
    public var description: String { "SignedCSRF(key: \(key.id.debugDescription))" }

    private func mac(sessionID: String, random: String) -> String {
        let message = Array("\(sessionID.utf8.count)!\(sessionID)!\(random.utf8.count)!\(random)".utf8)
        var out = [UInt8](repeating: 0, count: HMACSHA256.outputBytes)
        message.withUnsafeBytes { messageBytes in
            out.withUnsafeMutableBytes { output in
                key.secret.withUnsafeBytes { keyBytes in
                    HMACSHA256.authenticate(key: keyBytes, parts: [messageBytes], into: output)
                }
            }
        }
        return CookieSyntax.hex(out)
    }
}
