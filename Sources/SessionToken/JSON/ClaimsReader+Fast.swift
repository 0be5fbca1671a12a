import struct Foundation.Date
package import SessionTokenInternals

/// A fast path for the exact claims this library seals, tried before the strict reader.
///
/// It accepts only payloads of the form
/// `{"sub":"S","iat":I,"exp":E,"sid":"D","auth_time":A[,"iss":"X"][,"aud":"Y"][,"dbsc":1]}` with no
/// white space, where every string is printable ASCII without `"` or `\` (so it has no escapes
/// and its bytes are its UTF-8), `D` is at most ``InlineText/capacity`` bytes, and every
/// number is a JSON integer of at most 15 digits (so the strict reader converts it exactly,
/// without a String), except that `A` may have up to three fraction digits after at most 12
/// (a sign-in time in milliseconds, which both readers round to the same Double). For every such payload the strict reader succeeds and gives the same
/// ``SessionClaims``: the member names are distinct and registered, there are at most seven
/// members at depth 1, and strings and numbers are read the same way. Anything else (white
/// space, escapes, non-ASCII, fractions, exponents, another order, `nbf`, `jti`, an `aud`
/// array, a longer `sid`, custom members, anything malformed) returns nil, and the caller runs
/// the strict reader: the fast path never decides that a payload is invalid.
extension ClaimsReader {
    /// The fast path's claims, or nil when the strict reader must decide.
    package static func readFast(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) -> SessionClaims? {
        guard let base = bytes.baseAddress else { return nil }
        var cursor = FastCursor(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        guard cursor.literal("{\"sub\":"), let sub = cursor.string(),
            cursor.literal(",\"iat\":"), let iat = cursor.integer(),
            cursor.literal(",\"exp\":"), let exp = cursor.integer(),
            cursor.literal(",\"sid\":"), let sid = cursor.inlineString(),
            cursor.literal(",\"auth_time\":"), let authTime = cursor.milliseconds()
        else { return nil }
        var members = 5
        var iss: String?, aud: String?
        if cursor.literal(",\"iss\":") {
            guard let value = cursor.string() else { return nil }
            iss = value
            members += 1
        }
        if cursor.literal(",\"aud\":") {
            guard let value = cursor.string() else { return nil }
            aud = value
            members += 1
        }
        // A device-bound session's cookie says so in nine bytes: every request reads it.
        var confirmed = false
        if cursor.literal(",\"dbsc\":1") {
            confirmed = true
            members += 1
        }
        guard cursor.literal("}"), cursor.isAtEnd, members <= limits.maxMembers, limits.maxDepth >= 1 else {
            return nil
        }
        return SessionClaims.read(
            subject: sub, issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp),
            sessionID: sid, authenticatedAt: Date(timeIntervalSince1970: authTime), issuer: iss, audience: aud,
            isDeviceBound: confirmed)
    }

}

struct FastCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    var isAtEnd: Bool { position == count }

    /// Consumes `text` when the input continues with exactly those bytes.
    /// When eight bytes remain, literals of up to eight bytes are compared as one word (the
    /// literal's word is a constant once inlined), longer ones a word and then byte by byte.
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        let remaining = count - position
        guard remaining >= n else { return false }
        let start = text.utf8Start
        var i = 0
        if remaining >= 8 {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            var expected: UInt64 = 0
            var mask: UInt64 = 0
            for k in 0..<Swift.min(n, 8) {
                expected |= UInt64(start[k]) << (8 * UInt64(k))
                mask |= 0xFF << (8 * UInt64(k))
            }
            guard (word.littleEndian ^ expected) & mask == 0 else { return false }
            i = Swift.min(n, 8)
        }
        while i < n {
            guard base[position + i] == start[i] else { return false }
            i += 1
        }
        position += n
        return true
    }

    /// `"…"` of printable ASCII other than `"` and `\`; nil (nothing consumed that matters)
    /// for anything else (see ``stringBytes()``).
    @inline(__always)
    mutating func string() -> String? {
        // Printable ASCII only, so this copy is the whole String (its check finds nothing).
        stringBytes().map { bytes in
            String(unsafeUninitializedCapacity: bytes.count) {
                UnsafeMutableRawBufferPointer($0).copyMemory(from: bytes)
                return bytes.count
            }
        }
    }

    /// The same as ``string()``, for a string of at most ``InlineText/capacity`` bytes (nil for
    /// a longer one, which the strict reader then reads).
    @inline(__always)
    mutating func inlineString() -> InlineText? {
        stringBytes().flatMap { InlineText(validUTF8: $0) }
    }

    /// The bytes between the quotes of a string ``string()`` accepts.
    @inline(__always)
    mutating func stringBytes() -> UnsafeRawBufferPointer? {
        guard position < count, base[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var i = start
        // Sixteen bytes a step, up to the first byte that is not plain (the closing quote, or
        // a byte that sends the payload to the strict reader). The last step loads the
        // buffer's final sixteen bytes and ignores those already checked, so nothing is read
        // past the end; a buffer shorter than that goes byte by byte.
        if count >= 16 {
            while i < count {
                let at = Swift.min(i, count - 16)
                var (low, high) = StringBytes.special(UnsafeRawPointer(base + at))
                let checked = UInt64(truncatingIfNeeded: i - at)  // 0 but in the last step
                if checked >= 8 {
                    low = 0
                    high &= ~0 &<< (8 * (checked - 8))
                } else {
                    low &= ~0 &<< (8 * checked)
                }
                if low != 0 {
                    i = at + low.trailingZeroBitCount >> 3
                    break
                }
                if high != 0 {
                    i = at + 8 + high.trailingZeroBitCount >> 3
                    break
                }
                i = at + 16
            }
        }
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return UnsafeRawBufferPointer(start: base + start, count: i - start)
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
        // Eight digits at once when eight bytes remain (a NumericDate has ten).
        if count - i >= 8 {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian
            let digits = Self.leadingDigits(word)
            if digits > 0 {
                value = Int64(Self.digitsValue(word, digits))
                i += digits
            }
        }
        while i < count, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(base[i] &- UInt8(ascii: "0"))
            i += 1
            guard i - digitsStart <= 15 else { return nil }
        }
        let digits = i - digitsStart
        guard digits >= 1, digits <= 15, !(digits > 1 && base[digitsStart] == UInt8(ascii: "0")) else { return nil }
        position = i
        return Double(negative ? -value : value)
    }

    /// An ``integer()`` or, as this library writes `auth_time`, `-?I.F` with `I` of at most 12
    /// digits and `F` of one to three, not followed by `e`, `E` or another digit: the Double
    /// nearest to it, as the strict reader's `Double(String)` gives. The numerator, in
    /// thousandths, is below 10^15 and so exact; IEEE division then rounds the exact quotient
    /// once, to the Double nearest the decimal, as `strtod` does.
    @inline(__always)
    mutating func milliseconds() -> Double? {
        let start = position
        guard let whole = integer() else { return nil }
        guard position < count, base[position] == UInt8(ascii: ".") else { return whole }
        let negative = base[start] == UInt8(ascii: "-")
        guard position - start - (negative ? 1 : 0) <= 12 else { position = start; return nil }
        var i = position + 1
        var thousandths = Int64(abs(whole)) * 1000
        var scale: Int64 = 100
        while i < count, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
            guard scale > 0 else { position = start; return nil }
            thousandths += Int64(base[i] &- UInt8(ascii: "0")) * scale
            scale /= 10
            i += 1
        }
        guard scale < 100, i == count || (base[i] != UInt8(ascii: "e") && base[i] != UInt8(ascii: "E")) else {
            position = start
            return nil
        }
        position = i
        let value = Double(thousandths) / 1000
        return negative ? -value : value
    }

    /// How many of the eight bytes of `word` (first byte lowest) are ASCII digits before the
    /// first one that is not.
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        // A digit has high nibble 3, and still has it after adding 6 (0x39 + 6 = 0x3F); the
        // carry out of a byte of 0xFA or more only reaches bytes after a non-digit.
        let notDigit = ((word & nibbles) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & nibbles) ^ threes)
        return notDigit.trailingZeroBitCount >> 3
    }

    /// The value of the first `digits` (1 to 8) ASCII digits of `word`, first byte most
    /// significant: shifted so that the bytes before them read as leading zeros, then
    /// combined pairwise (two, four, eight digits) with three multiplications.
    @inline(__always)
    static func digitsValue(_ word: UInt64, _ digits: Int) -> UInt64 {
        var v = (word &- 0x3030_3030_3030_3030) << (64 - 8 * UInt64(digits))
        v = ((v & 0x0F0F_0F0F_0F0F_0F0F) &* (10 << 8 + 1)) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
        return v
    }
}
