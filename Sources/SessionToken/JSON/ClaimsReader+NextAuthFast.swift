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
    /// then `iat`, `exp` and `jti` as jose adds them. Strings are kept as byte ranges until the
    /// whole shape matched, so a payload left to the strict reader costs no allocation here.
    private static func readJose(_ cursor: inout FastCursor) -> (claims: SessionClaims, picked: [String?])? {
        guard cursor.literal("{") else { return nil }
        var first = true
        var name: Text = .absent, email: Text = .absent, picture: Text = .absent, sub: Text = .absent
        if cursor.key("\"name\":", first: &first) { name = cursor.stringOrNull(); guard name.isRead else { return nil } }
        if cursor.key("\"email\":", first: &first) { email = cursor.stringOrNull(); guard email.isRead else { return nil } }
        if cursor.key("\"picture\":", first: &first) { picture = cursor.stringOrNull(); guard picture.isRead else { return nil } }
        if cursor.key("\"sub\":", first: &first) { sub = cursor.text(); guard sub.isRead else { return nil } }
        guard cursor.key("\"iat\":", first: &first), let iat = cursor.integer(),
            cursor.key("\"exp\":", first: &first), let exp = cursor.integer(),
            cursor.key("\"jti\":", first: &first), let jti = cursor.stringBytes(),
            cursor.literal("}")
        else { return nil }
        let claims = SessionClaims(
            subject: sub.string, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            tokenID: Text.value(jti).string)
        return (claims, [name.string, email.string, picture.string])
    }

    /// This library's encoder's order: every member in name order.
    private static func readSorted(_ cursor: inout FastCursor) -> (claims: SessionClaims, picked: [String?])? {
        guard cursor.literal("{") else { return nil }
        var first = true
        var authTime: Double?
        var email: Text = .absent, name: Text = .absent, picture: Text = .absent, sid: Text = .absent, sub: Text = .absent
        if cursor.key("\"auth_time\":", first: &first) { guard let value = cursor.milliseconds() else { return nil }; authTime = value }
        if cursor.key("\"email\":", first: &first) { email = cursor.stringOrNull(); guard email.isRead else { return nil } }
        guard cursor.key("\"exp\":", first: &first), let exp = cursor.integer(),
            cursor.key("\"iat\":", first: &first), let iat = cursor.integer(),
            cursor.key("\"jti\":", first: &first), let jti = cursor.stringBytes()
        else { return nil }
        if cursor.key("\"name\":", first: &first) { name = cursor.stringOrNull(); guard name.isRead else { return nil } }
        if cursor.key("\"picture\":", first: &first) { picture = cursor.stringOrNull(); guard picture.isRead else { return nil } }
        if cursor.key("\"sid\":", first: &first) { sid = cursor.text(); guard sid.isRead else { return nil } }
        if cursor.key("\"sub\":", first: &first) { sub = cursor.text(); guard sub.isRead else { return nil } }
        guard cursor.literal("}") else { return nil }
        let claims = SessionClaims(
            subject: sub.string, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            tokenID: Text.value(jti).string, authenticatedAt: authTime.map(Date.init(timeIntervalSince1970:)),
            sessionID: sid.string)
        return (claims, [name.string, email.string, picture.string])
    }
}

/// A member's value as the fast path reads it: absent, `null`, a string's bytes (printable
/// ASCII without escapes, made a `String` only once the whole payload matched), or unreadable.
private enum Text {
    case absent, null, value(UnsafeRawBufferPointer), unreadable

    var isRead: Bool { if case .unreadable = self { false } else { true } }

    var string: String? {
        guard case .value(let bytes) = self else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) {
            UnsafeMutableRawBufferPointer($0).copyMemory(from: bytes)
            return bytes.count
        }
    }
}

extension FastCursor {
    /// Consumes a member's name and colon, `quoted` (`"name":`), after a `,` unless it is the
    /// object's first; consumes nothing when the input does not continue so.
    @inline(__always)
    mutating func key(_ quoted: StaticString, first: inout Bool) -> Bool {
        let saved = position
        guard first || literal(","), literal(quoted) else {
            position = saved
            return false
        }
        first = false
        return true
    }

    /// A string's bytes as ``stringBytes()`` accepts them.
    @inline(__always)
    fileprivate mutating func text() -> Text {
        stringBytes().map(Text.value) ?? .unreadable
    }

    /// A string's bytes or `null`.
    fileprivate mutating func stringOrNull() -> Text {
        literal("null") ? .null : text()
    }
}
