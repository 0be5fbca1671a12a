/// The JWE protected header (RFC 7516 §4) as this library writes and reads it.
package enum ProtectedHeader {
    /// The only key management mode: the key is used directly as the content-encryption key.
    static let algorithm = "dir"
    /// The default content encryption: XChaCha20-Poly1305 (draft-amringer-jose-chacha). A key
    /// bound to A256GCM writes and accepts `A256GCM` instead (see ``TokenEncryption``).
    static let encryption = TokenEncryption.xchacha20Poly1305.name
    /// Longest header segment read; anything longer is refused before it is decoded.
    static let maxSegmentLength = 1024

    /// `{"alg":"dir","enc":"XC20P","kid":"<kid>"}` (`"enc":"A256GCM"` for such a key): the exact
    /// bytes sealing writes. Key IDs are restricted to characters that need no JSON escaping.
    static func canonicalJSON(kid: String, encryption: TokenEncryption = .xchacha20Poly1305) -> [UInt8] {
        Array("{\"alg\":\"\(algorithm)\",\"enc\":\"\(encryption.name)\",\"kid\":\"\(kid)\"}".utf8)
    }

    /// The first segment of every token a key seals.
    static func canonicalSegment(kid: String, encryption: TokenEncryption = .xchacha20Poly1305) -> [UInt8] {
        Array(canonicalJSON(kid: kid, encryption: encryption).withUnsafeBytes { Base64URL.encode($0) }.utf8)
    }

    /// The members an opener needs from a header it did not write byte-for-byte.
    package struct Parsed: Equatable {
        /// `kid`, when present (a `kid` that is not a string makes the header invalid).
        package var kid: String?
        /// `enc`.
        package var enc: String
    }

    /// Full strict parse of a header segment: canonical base64url, a JSON object with unique
    /// member names, `alg` = `dir`, a string `enc`, `kid` absent or a string, no `zip`, no `crit`
    /// (this library understands no extension, so any critical one must be refused: RFC 7516
    /// §4.1.13). Unknown members are ignored, and members may come in any order. Nil for
    /// anything else.
    package static func parse(segment: UnsafeRawBufferPointer) -> Parsed? {
        guard segment.count <= maxSegmentLength, let length = Base64URL.decodedLength(segment.count) else {
            return nil
        }
        return withUnsafeTemporaryAllocation(byteCount: max(length, 1), alignment: 1) { json -> Parsed? in
            guard let decoded = Base64URL.decode(segment, into: json),
                let value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: json[0..<decoded]),
                                                  limits: JSONLimits(maxDepth: 8, maxMembers: 64)),
                case .object(let members) = value,
                members["alg"]?.stringValue == algorithm,
                let enc = members["enc"]?.stringValue,
                members["kid"] == nil || members["kid"]?.stringValue != nil,
                members["zip"] == nil,
                members["crit"] == nil
            else { return nil }
            return Parsed(kid: members["kid"]?.stringValue, enc: enc)
        }
    }
}
