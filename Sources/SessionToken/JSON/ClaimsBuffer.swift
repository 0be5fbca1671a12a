/// Writes JSON text into a caller-provided buffer, byte for byte what ``JSONWriter`` writes for
/// the same calls, without allocating: sealing's claims go to a temporary (stack) buffer.
struct ClaimsBuffer {
    /// Longest text `append(number:)` writes: `Double.description` is at most 24 characters.
    static let maxNumberLength = 32
    /// Member names, punctuation and the 22-character `jti` of sealing's claims, with room.
    static let fixedOverhead = 128

    private let buffer: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

    /// The length of `string` as ``append(string:)`` writes it, quotes included.
    static func escapedLength(_ string: String) -> Int {
        var length = 2
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09: length += 2
            case 0..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        precondition(count < buffer.count)
        buffer[count] = byte
        count += 1
    }

    mutating func append(bytes: UnsafeRawBufferPointer) {
        precondition(buffer.count - count >= bytes.count)
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// A member name with its quotes and colon (and a leading comma), written as given.
    mutating func append(member text: StaticString) {
        append(bytes: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string with the escaping of ``JSONWriter/append(string:)``.
    mutating func append(string: String) {
        let hex: StaticString = "0123456789abcdef"
        append(byte: UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append(byte: 0x5C); append(byte: 0x22)
            case UInt8(ascii: "\\"): append(byte: 0x5C); append(byte: 0x5C)
            case 0x0A: append(byte: 0x5C); append(byte: UInt8(ascii: "n"))
            case 0x0D: append(byte: 0x5C); append(byte: UInt8(ascii: "r"))
            case 0x09: append(byte: 0x5C); append(byte: UInt8(ascii: "t"))
            case 0..<0x20:
                append(byte: 0x5C); append(byte: UInt8(ascii: "u")); append(byte: UInt8(ascii: "0"))
                append(byte: UInt8(ascii: "0"))
                append(byte: hex.utf8Start[Int(byte >> 4)]); append(byte: hex.utf8Start[Int(byte & 0x0F)])
            default: append(byte: byte)
            }
        }
        append(byte: UInt8(ascii: "\""))
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

    /// A NumericDate as ``JSONWriter/append(number:)`` writes it: whole seconds as an integer
    /// (digits written directly), anything else in Swift's shortest round-tripping form.
    mutating func append(number: Double) {
        if number == number.rounded(), abs(number) < 1e15 {
            let value = Int64(number)
            if value < 0 { append(byte: UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            var digits: (UInt64, UInt64) = (0, 0)  // 16 bytes: at most 15 digits
            let written = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
                var i = scratch.count
                repeat {
                    i -= 1
                    scratch[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                append(bytes: UnsafeRawBufferPointer(rebasing: scratch[i...]))
                return scratch.count - i
            }
            _ = written
        } else {
            var text = number.description
            text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}
