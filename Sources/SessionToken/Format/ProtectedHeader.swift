import SessionTokenInternals

/// The JWE protected header (RFC 7516 §4) as this library writes and reads it.
package enum ProtectedHeader {
    /// The only key management mode: the key is used directly as the content-encryption key.
    static let algorithm = "dir"
    /// The default content encryption: XChaCha20-Poly1305 (draft-amringer-jose-chacha). A key
    /// bound to A256GCM writes and accepts `A256GCM` instead (see ``TokenEncryption``).
    static let encryption = TokenEncryption.xchacha20Poly1305.name
    /// Longest header segment read; anything longer is refused before it is decoded.
    package static let maxSegmentLength = 1024

    /// `{"alg":"dir","enc":"XC20P","kid":"<kid>"}` (`"enc":"A256GCM"` for such a key): the exact
    /// bytes sealing writes. Key IDs are restricted to characters that need no JSON escaping.
    static func canonicalJSON(kid: String, encryption: TokenEncryption = .xchacha20Poly1305) -> [UInt8] {
        let prefix = canonicalPrefix(encryption)
        return Array(UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
            + Array(kid.utf8) + Array("\"}".utf8)
    }

    /// Everything before the key ID in the canonical JSON (constant text: the rejection of an
    /// unknown `kid` below compares against it without building a String).
    static func canonicalPrefix(_ encryption: TokenEncryption) -> StaticString {
        switch encryption {
        case .xchacha20Poly1305: #"{"alg":"dir","enc":"XC20P","kid":""#
        case .aes256GCM: #"{"alg":"dir","enc":"A256GCM","kid":""#
        }
    }

    /// The first segment of every token a key seals.
    static func canonicalSegment(kid: String, encryption: TokenEncryption = .xchacha20Poly1305) -> [UInt8] {
        Array(canonicalJSON(kid: kid, encryption: encryption).withUnsafeBytes { Base64URL.encode($0) }.utf8)
    }

    /// Whether `segment` is, byte for byte, the header some key would write: the canonical JSON
    /// with an `enc` this library knows and a valid key ID. Opening asks only after the ring's
    /// header index missed, and then the answer settles it: such a header names no key of the
    /// ring under its own encryption (that key's segment would have been found), so the token
    /// is invalid without a full parse. An unknown `kid` is thus refused for the price of one
    /// short decode, without allocating. Any other header goes to ``parse(segment:)``.
    static func isCanonicalForm(segment: UnsafeRawBufferPointer) -> Bool {
        // The longest canonical header: `A256GCM` and a 64-character ID, 102 bytes of JSON.
        let maxJSON = 38 + KeyID.maxLength
        guard segment.count <= Base64URL.encodedLength(maxJSON), let length = Base64URL.decodedLength(segment.count)
        else { return false }
        var buffer: (SIMD64<UInt8>, SIMD64<UInt8>) = (.zero, .zero)
        return withUnsafeMutableBytes(of: &buffer) { json -> Bool in
            guard length <= json.count, let decoded = Base64URL.decode(segment, into: json), decoded == length
            else { return false }
            let text = UnsafeRawBufferPointer(rebasing: json[0..<decoded])
            return matchesCanonical(text, prefix: canonicalPrefix(.xchacha20Poly1305))
                || matchesCanonical(text, prefix: canonicalPrefix(.aes256GCM))
        }
    }

    /// `prefix`, then 1 to 64 key ID characters, then `"}`.
    private static func matchesCanonical(_ text: UnsafeRawBufferPointer, prefix: StaticString) -> Bool {
        let head = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard text.count >= head.count + 3, text.count <= head.count + KeyID.maxLength + 2,
            text[text.count - 2] == UInt8(ascii: "\""), text[text.count - 1] == UInt8(ascii: "}"),
            text.prefix(head.count).elementsEqual(head)
        else { return false }
        return text[head.count..<(text.count - 2)].allSatisfy(KeyID.isAllowed)
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
