import SessionTokenInternals

/// The content encryption a key seals and opens its tokens with: the JWE `enc` header member.
///
/// Every ``SessionKey`` is bound to exactly one. A token whose `enc` differs from its key's is
/// refused as ``SessionTokenError/invalid``, so a key never decrypts under a second algorithm.
///
/// - ``xchacha20Poly1305`` (`XC20P`, the default) runs everywhere, and its 192-bit random
///   nonces never limit how many tokens one key may seal.
/// - ``aes256GCM`` (`A256GCM`) is faster where the CPU has AES instructions (AES-NI and CLMUL on
///   x86-64) and is refused elsewhere; its 96-bit random nonces limit one key to about 2^32
///   tokens (NIST SP 800-38D's bound for random IVs), so rotate such keys well before that.
public enum TokenEncryption: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// XChaCha20-Poly1305, JWE `enc` `XC20P`: a 24-byte nonce and a 16-byte tag.
    case xchacha20Poly1305 = "XC20P"
    /// AES-256-GCM, JWE `enc` `A256GCM` (RFC 7518 §5.3): a 12-byte nonce and a 16-byte tag.
    /// Needs AES-NI (see ``isAvailable``).
    case aes256GCM = "A256GCM"

    /// The JWE `enc` header value, as written in tokens and in key ring specs.
    public var name: String { rawValue }

    /// The encryption whose JWE `enc` value is `name` (case-sensitive), or nil.
    public init?(name: String) { self.init(rawValue: name) }

    /// `XC20P` or `A256GCM`.
    public var description: String { rawValue }

    /// Whether this process can use it: always for XChaCha20-Poly1305; for AES-256-GCM only
    /// when libsodium's `crypto_aead_aes256gcm_is_available()` reports the CPU instructions.
    public var isAvailable: Bool {
        switch self {
        case .xchacha20Poly1305: true
        case .aes256GCM: AES256GCM.isAvailable
        }
    }

    /// Nonce length in bytes.
    var nonceBytes: Int {
        switch self {
        case .xchacha20Poly1305: XChaCha20Poly1305.nonceBytes
        case .aes256GCM: AES256GCM.nonceBytes
        }
    }

    /// Nonce length as unpadded base64url characters: 32 for XC20P, 16 for A256GCM.
    var nonceTextLength: Int { Base64URL.encodedLength(nonceBytes) }

    /// Tag length in bytes (16 for both).
    static let tagBytes = 16
}
