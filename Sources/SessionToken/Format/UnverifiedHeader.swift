import SessionTokenInternals

/// The protected header of a token, decoded without any key and therefore **not verified**:
/// anyone can write any header. For diagnostics only (which key ID a token names, say);
/// never base a decision on it.
public struct UnverifiedHeader: Sendable, Equatable {
    /// The header's JSON text exactly as decoded.
    public let json: String
    /// The `kid` member, when it is a string.
    public let keyID: String?
    /// The `alg` member, when it is a string.
    public let algorithm: String?
    /// The `enc` member, when it is a string.
    public let encryption: String?

    /// Decodes the first segment of a compact JWE.
    ///
    /// - Throws: ``SessionTokenError/invalid`` when the token has no first segment that is
    ///   canonical base64url of a JSON object within the header limits (at most 1024 characters).
    public init(token: String) throws(SessionTokenError) {
        let segment = Array(token.utf8.prefix { $0 != UInt8(ascii: ".") })
        guard segment.count <= ProtectedHeader.maxSegmentLength, segment.count < token.utf8.count,
            let length = Base64URL.decodedLength(segment.count)
        else { throw .invalid }
        var json = [UInt8](repeating: 0, count: length)
        let decoded = segment.withUnsafeBytes { text in json.withUnsafeMutableBytes { Base64URL.decode(text, into: $0) } }
        guard decoded == length,
            case .object(let members)? = try? JSONParser.parse(json, limits: JSONLimits(maxDepth: 8, maxMembers: 64))
        else { throw .invalid }
        self.json = String(decoding: json, as: UTF8.self)
        self.keyID = members["kid"]?.stringValue
        self.algorithm = members["alg"]?.stringValue
        self.encryption = members["enc"]?.stringValue
    }
}
