import SessionTokenInternals

/// Writes JSON text into a caller-provided buffer without allocating: sealing's claims go to a
/// temporary (stack) buffer. The tests hold a plain reference writer (`JSONWriter`) and check
/// that this one writes the same bytes for the same calls.
package struct ClaimsBuffer {
    /// Longest text `append(number:)` writes: `Double.description` is at most 24 characters.
    package static let maxNumberLength = 32
    /// Member names, punctuation and a new session's 22-character `sid` in sealing's claims, with room.
    package static let fixedOverhead = 128

    private let buffer: UnsafeMutableRawBufferPointer
    package private(set) var count = 0

    package init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

    /// The length of `string` as ``append(string:)`` writes it, quotes included.
    package static func escapedLength(_ string: String) -> Int {
        withUTF8(of: string) { bytes in
            var length = 2 + bytes.count
            for byte in bytes where needsEscape(byte) {
                length += byte == 0x0A || byte == 0x0D || byte == 0x09 || byte >= 0x20 ? 1 : 5
            }
            return length
        }
    }

    /// At least ``escapedLength(_:)``: six bytes per byte (the longest escape) when that is
    /// small, which costs no pass over the string; the exact length otherwise, so that long
    /// strings do not inflate the bound.
    package static func escapedLengthBound(_ string: String) -> Int {
        let count = string.utf8.count
        return count <= 32 ? 2 + 6 * count : escapedLength(string)
    }

    /// True for the bytes JSON strings must escape: `"`, `\` and controls below 0x20.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// `body` over the string's UTF-8 in place (a native or small String is contiguous), or
    /// over a copy otherwise.
    @inline(__always)
    private static func withUTF8<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    @inline(__always)
    package mutating func append(byte: UInt8) {
        precondition(count < buffer.count)
        buffer[count] = byte
        count += 1
    }

    package mutating func append(bytes: UnsafeRawBufferPointer) {
        precondition(buffer.count - count >= bytes.count)
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// A member name with its quotes and colon (and a leading comma), written as given.
    package mutating func append(member text: StaticString) {
        append(bytes: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string with the escaping of the reference writer: runs of bytes that need
    /// no escaping are copied whole.
    package mutating func append(string: String) {
        append(byte: UInt8(ascii: "\""))
        Self.withUTF8(of: string) { bytes in
            var runStart = 0
            for (i, byte) in bytes.enumerated() where Self.needsEscape(byte) {
                append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<i])))
                append(escaped: byte)
                runStart = i + 1
            }
            append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        }
        append(byte: UInt8(ascii: "\""))
    }

    /// The escape sequence of one byte for which `needsEscape` holds.
    private mutating func append(escaped byte: UInt8) {
        let hex: StaticString = "0123456789abcdef"
        append(byte: 0x5C)
        switch byte {
        case UInt8(ascii: "\""): append(byte: 0x22)
        case UInt8(ascii: "\\"): append(byte: 0x5C)
        case 0x0A: append(byte: UInt8(ascii: "n"))
        case 0x0D: append(byte: UInt8(ascii: "r"))
        case 0x09: append(byte: UInt8(ascii: "t"))
        default:
            append(byte: UInt8(ascii: "u")); append(byte: UInt8(ascii: "0")); append(byte: UInt8(ascii: "0"))
            append(byte: hex.utf8Start[Int(byte >> 4)]); append(byte: hex.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// `bytes` as a base64url JSON string (its characters need no escaping).
    mutating func append(base64URLString bytes: UnsafeRawBufferPointer) {
        let n = Base64URL.encodedLength(bytes.count)
        precondition(buffer.count - count >= n + 2)
        append(byte: UInt8(ascii: "\""))
        Base64URL.encode(bytes, into: UnsafeMutableRawBufferPointer(rebasing: buffer[count..<(count + n)]))
        count += n
        append(byte: UInt8(ascii: "\""))
    }

    /// A NumericDate as the reference writer writes it: whole seconds as an integer
    /// (the last eight digits of a long one as one word, the others two at a time), anything
    /// else in Swift's shortest round-tripping form. A time in whole milliseconds (a session's
    /// `auth_time`) is written without a String: its shortest form is its integer part and up
    /// to three fraction digits.
    package mutating func append(number: Double) {
        // Whole when it survives a round trip through Int64 (no call to libm's `round`); NaN
        // and infinities fail the magnitude test first.
        guard abs(number) < 1e15, case let value = Int64(number), Double(value) == number else {
            if !appendMilliseconds(number) {
                var text = number.description
                text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
            }
            return
        }
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        // The last eight digits of a number of nine or more (a NumericDate has ten) in one
        // 8-byte store; the digits before them (or all of a shorter number) written in place,
        // last first, after counting them.
        var magnitude = value.magnitude
        var lastEight: UInt64?
        if magnitude >= 100_000_000 {
            lastEight = magnitude % 100_000_000
            magnitude /= 100_000_000
        }
        var digits = 1
        var power: UInt64 = 10
        while digits < 16 && magnitude >= power {
            digits += 1
            power &*= 10
        }
        precondition(buffer.count - count >= digits + (lastEight == nil ? 0 : 8))
        let pairs = UnsafeRawPointer(Self.digitPairs.utf8Start)
        var i = count + digits
        while magnitude >= 10 {
            let pair = Int(truncatingIfNeeded: magnitude % 100)
            magnitude /= 100
            i -= 2
            buffer.storeBytes(
                of: pairs.loadUnaligned(fromByteOffset: 2 * pair, as: UInt16.self), toByteOffset: i, as: UInt16.self)
        }
        if i > count {
            // One digit left (an odd count).
            buffer[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        count += digits
        if let lastEight {
            buffer.storeBytes(of: Self.eightDigits(lastEight).littleEndian, toByteOffset: count, as: UInt64.self)
            count += 8
        }
    }

    /// Writes `number` as `I.F` when it is the Double nearest to a number of thousandths
    /// below 10^12 in magnitude, and returns whether it did. That text is Swift's shortest
    /// round-tripping form: Doubles below 10^12 are less than 2^-12 apart, so no decimal with
    /// fewer fraction digits reads back as the same Double.
    private mutating func appendMilliseconds(_ number: Double) -> Bool {
        guard abs(number) < 1e12 else { return false }
        let thousandths = (number * 1000).rounded()
        guard thousandths / 1000 == number else { return false }
        let whole = Int64(abs(thousandths)) / 1000
        var fraction = Int(Int64(abs(thousandths)) % 1000)
        if number < 0 { append(byte: UInt8(ascii: "-")) }
        append(number: Double(whole))
        append(byte: UInt8(ascii: "."))
        var divisor = 100
        while fraction > 0 {
            append(byte: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
        return true
    }

    /// The eight decimal digits of `value` (below 10^8, leading zeros kept) as ASCII, first
    /// digit in the low byte: split into halves of four digits, each half into pairs, each pair
    /// into digits, all lanes of one word at once (division by 100 and by 10 as a multiply and
    /// a shift, exact for the lanes' ranges: below 10^4 and below 100).
    @inline(__always)
    static func eightDigits(_ value: UInt64) -> UInt64 {
        let halves = value / 10_000 | (value % 10_000) << 32
        let hundreds = ((halves &* 10_486) >> 20) & 0x0000_007F_0000_007F
        let pairs = (halves &- hundreds &* 100) << 16 | hundreds
        let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
        let digits = (pairs &- tens &* 10) << 8 | tens
        return digits | 0x3030_3030_3030_3030
    }

    /// "00" to "99": the two characters of each value below 100, in order.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
}
