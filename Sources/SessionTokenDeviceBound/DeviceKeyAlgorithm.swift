/// A signature algorithm a browser may use for its device key, as DBSC names it (JWA, RFC 7518).
///
/// Both are offered by default: Chromium picks ES256 where it can and RS256 where the device's
/// key store offers only RSA (some TPMs).
public enum DeviceKeyAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// ECDSA on P-256 with SHA-256; the signature is the raw 64 bytes `r || s`.
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256, over a key of at least 2048 bits.
    case rs256 = "RS256"

    /// The name in the JWT header and in `Secure-Session-Registration`.
    public var name: String { rawValue }
}
