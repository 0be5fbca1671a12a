import struct Foundation.Date

/// A fast path for the exact claims this library seals, tried before the strict reader.
///
/// It accepts only payloads of the form
/// `{"sub":"S","iat":I,"exp":E,"jti":"J"[,"iss":"X"][,"aud":"Y"][,"auth_time":A]}` with no
/// white space, where every string is printable ASCII without `"` or `\` (so it has no escapes
/// and its bytes are its UTF-8) and every number is a JSON integer of at most 15 digits (so the
/// strict reader converts it exactly, without a String). For every such payload the strict
/// reader succeeds and gives the same ``SessionClaims``: the member names are distinct and
/// registered, there are at most seven members at depth 1, and strings and numbers are read
/// the same way. Anything else (white space, escapes, non-ASCII, fractions, exponents,
/// another order, `nbf`, an `aud` array, custom members, anything malformed) returns nil, and
/// the caller runs the strict reader: the fast path never decides that a payload is invalid.
extension ClaimsReader {
    package static func readFast(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) -> SessionClaims? {
        guard let base = bytes.baseAddress else { return nil }
        var cursor = FastCursor(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        guard cursor.literal("{\"sub\":"), let sub = cursor.string(),
            cursor.literal(",\"iat\":"), let iat = cursor.integer(),
            cursor.literal(",\"exp\":"), let exp = cursor.integer(),
            cursor.literal(",\"jti\":"), let jti = cursor.string()
        else { return nil }
        var members = 4
        var iss: String?, aud: [String] = [], authTime: Double?
        if cursor.literal(",\"iss\":") {
            guard let value = cursor.string() else { return nil }
            iss = value
            members += 1
        }
        if cursor.literal(",\"aud\":") {
            guard let value = cursor.string() else { return nil }
            aud = [value]
            members += 1
        }
        if cursor.literal(",\"auth_time\":") {
            guard let value = cursor.integer() else { return nil }
            authTime = value
            members += 1
        }
        guard cursor.literal("}"), cursor.isAtEnd, members <= limits.maxMembers, limits.maxDepth >= 1 else {
            return nil
        }
        return SessionClaims(
            subject: sub, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            notBefore: nil, tokenID: jti, issuer: iss, audience: aud,
            authenticatedAt: authTime.map(Date.init(timeIntervalSince1970:)))
    }

}

private struct FastCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    var isAtEnd: Bool { position == count }

    /// Consumes `text` when the input continues with exactly those bytes.
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard count - position >= n else { return false }
        let start = text.utf8Start
        for i in 0..<n where base[position + i] != start[i] { return false }
        position += n
        return true
    }

    /// `"…"` of printable ASCII other than `"` and `\`; nil (nothing consumed that matters)
    /// for anything else.
    @inline(__always)
    mutating func string() -> String? {
        guard position < count, base[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var i = start
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            i += 1
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)` of at most 15 digits, not followed by `.`, `e`, `E` or another digit
    /// (the caller then requires `,` or `}`), as the strict parser converts it.
    @inline(__always)
    mutating func integer() -> Double? {
        var i = position
        var negative = false
        if i < count, base[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let digitsStart = i
        var value: Int64 = 0
        while i < count, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(base[i] &- UInt8(ascii: "0"))
            i += 1
            guard i - digitsStart <= 15 else { return nil }
        }
        let digits = i - digitsStart
        guard digits >= 1, !(digits > 1 && base[digitsStart] == UInt8(ascii: "0")) else { return nil }
        position = i
        return Double(negative ? -value : value)
    }
}
