import struct Foundation.Date
package import SessionTokenInternals

/// A fast path for next-auth's session claims, tried before the strict reader the way
/// ``ClaimsReader/readFast(_:limits:)`` is for this library's own: every request of a service
/// behind a next-auth front end decodes one.
///
/// It accepts the two shapes such tokens come in, with no white space:
/// - as next-auth and Auth.js write them (jose keeps the `jwt` callback's order, then adds the
///   times): `{["name":N,]["email":E,]["picture":P,]["sub":"S",]"iat":I,"exp":X,"jti":"J"}`;
/// - as this library's encoder writes them (members in name order):
///   `{["auth_time":A,]["email":E,]"exp":X,"iat":I,"jti":"J",["name":N,]["picture":P,]["sid":"D",]["sub":"S"]}`;
///
/// where `N`, `E` and `P` are a string or `null`, every string is printable ASCII without `"`
/// or `\` (no escapes: its bytes are its UTF-8), every number is a JSON integer of at most 15
/// digits, and `A` may carry up to three fraction digits (both as ``FastCursor`` reads them).
/// For every such payload the strict reader, picking `name`, `email` and `picture`, succeeds
/// and gives the same claims and values: the members are distinct and known, and strings and
/// numbers are read the same way. Anything else returns nil and the strict reader decides; this
/// path never refuses a payload.
extension ClaimsReader {
    /// The claims and the picked `name`, `email` and `picture` of a next-auth payload of one of
    /// the two shapes, or nil when the strict reader must decide.
    package static func readFastNextAuth(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits
    ) -> (claims: SessionClaims, picked: [String?])? {
        guard let base = bytes.baseAddress, limits.maxDepth >= 1, limits.maxMembers >= 9 else { return nil }
        let start = FastCursor(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var jose = start
        if let read = readJose(&jose), jose.isAtEnd { return read }
        var sorted = start
        if let read = readSorted(&sorted), sorted.isAtEnd { return read }
        return nil
    }

    /// next-auth's order: the profile members and `sub` as the `jwt` callback returned them,
    /// then `iat`, `exp` and `jti` as jose adds them.
    private static func readJose(_ cursor: inout FastCursor) -> (claims: SessionClaims, picked: [String?])? {
        guard cursor.literal("{") else { return nil }
        var first = true
        var name: String?, email: String?, picture: String?, sub: String?
        if cursor.key("\"name\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; name = value }
        if cursor.key("\"email\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; email = value }
        if cursor.key("\"picture\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; picture = value }
        if cursor.key("\"sub\":", first: &first) { guard let value = cursor.string() else { return nil }; sub = value }
        guard cursor.key("\"iat\":", first: &first), let iat = cursor.integer(),
            cursor.key("\"exp\":", first: &first), let exp = cursor.integer(),
            cursor.key("\"jti\":", first: &first), let jti = cursor.string(),
            cursor.literal("}")
        else { return nil }
        let claims = SessionClaims(
            subject: sub, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            tokenID: jti)
        return (claims, [name, email, picture])
    }

    /// This library's encoder's order: every member in name order.
    private static func readSorted(_ cursor: inout FastCursor) -> (claims: SessionClaims, picked: [String?])? {
        guard cursor.literal("{") else { return nil }
        var first = true
        var authTime: Double?, email: String?, name: String?, picture: String?, sid: String?, sub: String?
        if cursor.key("\"auth_time\":", first: &first) { guard let value = cursor.milliseconds() else { return nil }; authTime = value }
        if cursor.key("\"email\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; email = value }
        guard cursor.key("\"exp\":", first: &first), let exp = cursor.integer(),
            cursor.key("\"iat\":", first: &first), let iat = cursor.integer(),
            cursor.key("\"jti\":", first: &first), let jti = cursor.string()
        else { return nil }
        if cursor.key("\"name\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; name = value }
        if cursor.key("\"picture\":", first: &first) { guard let value = cursor.stringOrNull() else { return nil }; picture = value }
        if cursor.key("\"sid\":", first: &first) { guard let value = cursor.string() else { return nil }; sid = value }
        if cursor.key("\"sub\":", first: &first) { guard let value = cursor.string() else { return nil }; sub = value }
        guard cursor.literal("}") else { return nil }
        let claims = SessionClaims(
            subject: sub, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            tokenID: jti, authenticatedAt: authTime.map(Date.init(timeIntervalSince1970:)), sessionID: sid)
        return (claims, [name, email, picture])
    }
}

extension FastCursor {
    /// Consumes a member's name and colon, `quoted` (`"name":`), after a `,` unless it is the
    /// object's first; consumes nothing when the input does not continue so.
    mutating func key(_ quoted: StaticString, first: inout Bool) -> Bool {
        let saved = position
        guard first || literal(","), literal(quoted) else {
            position = saved
            return false
        }
        first = false
        return true
    }

    /// A ``string()`` or `null`: `.some(nil)` for `null`, nil for anything else.
    mutating func stringOrNull() -> String?? {
        if literal("null") { return .some(nil) }
        guard let value = string() else { return nil }
        return .some(value)
    }
}
