import SessionToken
import SessionTokenInternals

/// Comparisons and encodings that touch secrets, delegated to libsodium through the core's
/// `SecretMemory`: no hand-written constant-time code here.
enum ConstantTime {
    /// True when `a` and `b` hold the same bytes, compared in constant time (`sodium_memcmp`).
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a), right = Array(b)
        return left.withUnsafeBytes { l in right.withUnsafeBytes { r in SecretMemory.equal(l, r) } }
    }

    /// Unpadded base64url of secret bytes (the JWK `k` member whose hash is a v5 `kid`), with
    /// libsodium's constant-time encoder.
    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        var copy = Array(bytes)
        defer { SecretMemory.wipe(&copy) }
        return copy.withUnsafeBytes { SecretMemory.base64URL($0) }
    }

    /// Appends the unpadded base64url of `bytes` to `out`, so that a caller can wipe the text.
    static func appendBase64URL(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        var text = Array(base64URL(bytes).utf8)
        defer { SecretMemory.wipe(&text) }
        out.append(contentsOf: text)
    }

    /// Overwrites a buffer that held key material or claims with zeros (`sodium_memzero`).
    static func wipe(_ bytes: inout [UInt8]) {
        SecretMemory.wipe(&bytes)
    }
}
