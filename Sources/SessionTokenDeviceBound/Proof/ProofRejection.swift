/// Why a browser's proof (the JWT in `Secure-Session-Response`) was refused. The browser, and
/// anyone posing as it, learns none of this: every refusal answers the same way. It is for the
/// tests, which hold each forged proof to the rule it breaks, and for metrics.
package enum ProofRejection: String, Error, Sendable, Hashable, CaseIterable {
    /// Not a compact JWS of three canonical base64url segments holding JSON objects with
    /// unique members; trailing data; a `crit` header.
    case malformed
    /// `alg` missing, not offered, or not the algorithm the device registered with.
    case algorithm
    /// `typ` is not exactly `dbsc+jwt`.
    case type
    /// The `jwk` is malformed, of another type than `alg`, off the curve, an RSA key under
    /// 2048 bits or with a bad exponent, or carries private members.
    case key
    /// The signature does not verify under the key.
    case signature
    /// `jti` is missing or is not a challenge this service issued for this session and
    /// generation within its lifetime.
    case challenge
}
