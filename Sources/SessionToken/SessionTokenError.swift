/// Why a token, a key ring or a configuration failed: what sealing, opening and key handling
/// throw, each function declaring it by its typed `throws`.
///
/// The library has three error types, one a concept: this one; `CookieError` (in `SessionCookies`)
/// for a `Cookie` or `Set-Cookie` line that cannot be read or written; and
/// `RevocationStoreError` for a revocation store that failed. A function that can fail in
/// more than one concept throws the one its caller acts on.
///
/// Every way a token can fail before it has authenticated is the single case
/// ``invalid``, so a caller (or an attacker watching responses) learns nothing about which
/// check failed. ``expired`` and ``notYetValid`` are reported only for tokens that
/// authenticated. No case carries key bytes, plaintext or the token.
public enum SessionTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token is malformed, too long, names no known key, or failed authentication; or its
    /// authenticated claims are unusable (not a JSON object, no numeric `exp`, wrong `iss` or `aud`).
    case invalid
    /// The token authenticated but its `exp` has passed (leeway included).
    case expired
    /// The token authenticated but its `nbf` or `iat` lies in the future (leeway included).
    case notYetValid
    /// The token authenticated and its times passed, but it was revoked: its user signed out
    /// everywhere after it was issued, or its `jti` was signed out (`RevocationSet`). Told
    /// apart from ``invalid`` because only a genuine token can reach it.
    case revoked
    /// A key, key ring or setting is unusable; the message names what is wrong and never
    /// contains key bytes.
    case configuration(String)
    /// The claims given to `seal` cannot be sealed; the message says why.
    case unsealable(String)

    /// The words the command-line tool prints for each case.
    public var description: String {
        switch self {
        case .invalid: return "invalid"
        case .expired: return "expired"
        case .notYetValid: return "not yet valid"
        case .revoked: return "revoked"
        case .configuration(let message): return "configuration error: \(message)"
        case .unsealable(let message): return "cannot seal: \(message)"
        }
    }
}
