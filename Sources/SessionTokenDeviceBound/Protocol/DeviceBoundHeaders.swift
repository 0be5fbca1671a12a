import RawStructuredFieldValues

/// The DBSC header fields as Chromium 156 speaks them, written and read as RFC 9651 structured
/// fields with swift-http-structured-headers.
///
/// What the server writes is always well-formed structured syntax. What it reads may come bare:
/// Chromium sends the proof JWT and the session identifier unquoted, which parse as tokens when
/// they start with a letter and not at all otherwise (a session ID may start with a digit or
/// `-`), so a value that is not a structured item is taken as it stands when every byte is one a
/// JWT or an identifier may hold.
package enum DeviceBoundHeaders {
    /// On a response: the offer to register, with the algorithms, the endpoint and a challenge.
    static let registration = "Secure-Session-Registration"
    /// On a refresh response (403, or pushed with a 200): the challenge to sign next.
    static let challenge = "Secure-Session-Challenge"
    /// On a registration or refresh request: the browser's proof (a JWT).
    static let response = "Secure-Session-Response"
    /// On a refresh request: the session identifier the instructions named.
    static let sessionID = "Sec-Secure-Session-Id"
    /// On any request the browser let through without the refresh it wanted.
    static let skipped = "Secure-Session-Skipped"

    /// `(ES256 RS256);path="…";challenge="…"`: a list of one inner list of tokens.
    static func registration(algorithms: [DeviceKeyAlgorithm], path: String, challenge: String) -> String? {
        var tokens = BareInnerList()
        for algorithm in algorithms { tokens.append(Item(bareItem: RFC9651BareItem.token(algorithm.name), parameters: [:])) }
        var parameters = OrderedMap<String, RFC9651BareItem>()
        parameters["path"] = .string(path)
        parameters["challenge"] = .string(challenge)
        return write([.innerList(InnerList(bareInnerList: tokens, parameters: parameters))])
    }

    /// `"…";id="…"`: a list of one string with the session identifier as its `id` parameter
    /// (Chromium ignores a challenge without it).
    static func challenge(_ challenge: String, sessionID: String) -> String? {
        var parameters = OrderedMap<String, RFC9651BareItem>()
        parameters["id"] = .string(sessionID)
        return write([.item(Item(bareItem: RFC9651BareItem.string(challenge), parameters: parameters))])
    }

    private static func write(_ list: [ItemOrInnerList]) -> String? {
        var serializer = StructuredFieldValueSerializer()
        guard let bytes = try? serializer.writeListFieldValue(list) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The longest field value read: a proof with an 8192-bit RSA key and some slack.
    package static let maxValueLength = DeviceProof.maxLength + 64

    /// A single value (the proof, the session identifier): a structured string or token, or
    /// the bare value as Chromium sends it; nil for anything else.
    package static func value(_ field: String?) -> String? {
        guard let field, field.utf8.count <= maxValueLength else { return nil }
        var parser = StructuredFieldValueParser(Array(field.utf8))
        if let item = try? parser.parseItemFieldValue() {
            // A proof or an identifier carries no parameters.
            guard item.rfc9651Parameters.count == 0 else { return nil }
            switch item.rfc9651BareItem {
            case .string(let text), .token(let text): return text
            default: return nil
            }
        }
        let trimmed = field.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
        guard !trimmed.isEmpty, trimmed.allSatisfy(isBareByte) else { return nil }
        return String(decoding: trimmed, as: UTF8.self)
    }

    /// `reason;session_identifier="…"`: why the browser went ahead without a refresh, and for
    /// which session; nil when the field does not parse.
    package static func skipped(_ field: String?) -> (reason: String, sessionID: String?)? {
        guard let field, field.utf8.count <= maxValueLength else { return nil }
        var parser = StructuredFieldValueParser(Array(field.utf8))
        guard let list = try? parser.parseListFieldValue(), case .item(let item)? = list.first,
            case .token(let reason) = item.rfc9651BareItem
        else { return nil }
        var sessionID: String?
        if case .string(let id)? = item.rfc9651Parameters["session_identifier"] { sessionID = id }
        return (reason, sessionID)
    }

    /// base64url, and the dot of a compact JWS.
    private static func isBareByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }
}
