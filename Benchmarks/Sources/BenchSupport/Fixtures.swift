import CSodiumBench
import Foundation
import SessionToken

/// The one set of claims and the tokens every benchmark works on: the five claims a session
/// token carries (`sub`, `iat`, `exp`, `sid`, `auth_time`) with a 15-character `sub`, sealed at
/// a fixed time and opened one minute later, so that the time checks pass and no re-issue is due.
public enum Fixtures {
    /// The user ID: 15 characters.
    public static let subject = "user-0123456789"
    /// When the fixture tokens were sealed (2026-11-29T00:00:00Z).
    public static let sealedAt = Date(timeIntervalSince1970: 1_795_910_400)
    /// When they are opened: a minute later.
    public static let openedAt = sealedAt.addingTimeInterval(60)

    /// Deterministic key material: key `i` is 32 bytes of `i + 1`.
    public static func key(_ i: Int) -> SessionKey {
        try! SessionKey(id: "bench-k\(i)", bytes: [UInt8](repeating: UInt8(i + 1), count: 32))
    }

    /// The bytes that seal key `i`'s session tokens, for the libsodium baselines: the key for
    /// the purpose `session`, HKDF-SHA-256 of key `i`'s bytes with the info
    /// `swift-session-token/purpose/v1/session` (one block: extract, then one expand step),
    /// through libsodium's HMAC as the library does.
    public static func keyBytes(_ i: Int) -> [UInt8] {
        precondition(sodium_init() >= 0)
        let ikm = [UInt8](repeating: UInt8(i + 1), count: 32)
        var prk = [UInt8](repeating: 0, count: 32)
        var okm = [UInt8](repeating: 0, count: 32)
        let zeroSalt = [UInt8](repeating: 0, count: 32)
        var state = crypto_auth_hmacsha256_state()
        crypto_auth_hmacsha256_init(&state, zeroSalt, zeroSalt.count)
        crypto_auth_hmacsha256_update(&state, ikm, UInt64(ikm.count))
        crypto_auth_hmacsha256_final(&state, &prk)
        let info = Array("swift-session-token/purpose/v1/session".utf8) + [1]
        crypto_auth_hmacsha256_init(&state, prk, prk.count)
        crypto_auth_hmacsha256_update(&state, info, UInt64(info.count))
        crypto_auth_hmacsha256_final(&state, &okm)
        return okm
    }

    /// A one-key ring.
    public static let sealer1 = try! SessionSealer(keys: KeyRing(primary: key(0)))
    /// An eight-key ring: k0 primary, k1...k7 accepted.
    public static let sealer8 = try! SessionSealer(keys: KeyRing(primary: key(0), accepted: (1..<8).map(key)))

    /// A token under k0 (the primary of both rings).
    public static let token: String = try! sealer1.seal(subject: subject, at: sealedAt).token
    /// A token under k7: opened with the 8-key ring, the last key of the ring.
    public static let token8: String = {
        let sealer = try! SessionSealer(keys: KeyRing(primary: key(7)))
        return try! sealer.seal(subject: subject, at: sealedAt).token
    }()

    /// A ring after a rotation: k1 is the new primary, k0 still accepted, so `token` (under k0)
    /// is due for re-issue: the rolling `refresh` path.
    public static let rotatedSealer = try! SessionSealer(keys: KeyRing(primary: key(1), accepted: [key(0)]))

    // MARK: - Invalid tokens

    /// `token` with the last character of the tag changed (still canonical base64url).
    public static let badTag: String = {
        var bytes = Array(token.utf8)
        let last = bytes.count - 2  // the last character carries unused bits; change the one before it
        bytes[last] = bytes[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return String(decoding: bytes, as: UTF8.self)
    }()

    /// A well-formed token under a key the ring does not have.
    public static let unknownKID: String = {
        let sealer = try! SessionSealer(keys: KeyRing(primary: try! SessionKey(
            id: "bench-unknown", bytes: [UInt8](repeating: 0xAA, count: 32))))
        return try! sealer.seal(subject: subject, at: sealedAt).token
    }()

    /// `token` with a `*` in the middle of its ciphertext: not base64url.
    public static let malformedBase64: String = {
        var segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var ct = Array(segments[3].utf8)
        ct[ct.count / 2] = UInt8(ascii: "*")
        segments[3] = String(decoding: ct, as: UTF8.self)
        return segments.joined(separator: ".")
    }()

    /// Random base64url characters, no structure: a junk cookie of exactly `count` bytes.
    public static func garbage(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var rng = SplitMix64(seed: 0x5E55_1017)
        return String(decoding: (0..<count).map { _ in alphabet[Int(rng.next() % 64)] }, as: UTF8.self)
    }

    /// The largest token the default limit (4096 bytes) lets in.
    public static let garbage4096 = garbage(4096)
    /// One byte over the limit: must be refused before any decoding.
    public static let garbage4097 = garbage(4097)

    /// A well-formed 4096-byte token with `token`'s header, nonce and tag and a random
    /// ciphertext: the worst case an attacker can send, since authentication must read it all.
    public static let forged4096: String = {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let fixed = segments[0].utf8.count + 2 + segments[2].utf8.count + 1 + 1 + segments[4].utf8.count
        var n = 4096 - fixed
        while n % 4 == 1 || !canonicalLength(n) { n -= 1 }
        var ct = Array(garbage(n).utf8)
        // The last character of a 4n+2 / 4n+3 text carries unused bits that must be zero.
        if n % 4 != 0 { ct[n - 1] = UInt8(ascii: "A") }
        let forged = [segments[0], "", segments[2], String(decoding: ct, as: UTF8.self), segments[4]].joined(separator: ".")
        precondition(forged.utf8.count <= 4096)
        return forged
    }()

    private static func canonicalLength(_ n: Int) -> Bool { n % 4 != 1 }

    // MARK: - The same token, taken apart, for the baselines

    public struct Parts: @unchecked Sendable {
        /// The header segment as sent: the AAD.
        public let aad: [UInt8]
        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        public let tag: [UInt8]
        /// The claims JSON the token carries.
        public let plaintext: [UInt8]
    }

    public static let parts: Parts = takeApart(token, key: keyBytes(0))
    /// `token8` taken apart (under k7).
    public static let parts8: Parts = takeApart(token8, key: keyBytes(7))

    static func takeApart(_ token: String, key: [UInt8]) -> Parts {
        precondition(sodium_init() >= 0)
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let nonce = base64URLDecode(segments[2])
        let ciphertext = base64URLDecode(segments[3])
        let tag = base64URLDecode(segments[4])
        let aad = Array(segments[0].utf8)
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
            &plaintext, nil, ciphertext, UInt64(ciphertext.count), tag, aad, UInt64(aad.count), nonce, key)
        precondition(status == 0, "the fixture token does not decrypt")
        return Parts(aad: aad, nonce: nonce, ciphertext: ciphertext, tag: tag, plaintext: plaintext)
    }

    public static func base64URLDecode(_ text: String) -> [UInt8] {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        return [UInt8](Data(base64Encoded: b64)!)
    }

    /// One line describing the fixture, printed by each suite once.
    public static var summary: String {
        "token \(token.utf8.count) B, claims \(parts.plaintext.count) B: \(String(decoding: parts.plaintext, as: UTF8.self))"
    }
}

/// The five claims of a session token, for Foundation's `JSONDecoder` baseline.
public struct StandardClaims: Codable, Sendable {
    public var sub: String
    public var iat: Double
    public var exp: Double
    public var sid: String
    public var auth_time: Double
}

/// A tiny deterministic generator for the garbage fixtures.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
