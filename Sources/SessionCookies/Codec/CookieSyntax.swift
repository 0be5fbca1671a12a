/// The character classes of RFC 6265 / RFC 6265bis, on bytes: the one cookie-name validator
/// of the package (next-auth's cookies use it too).
package enum CookieSyntax {
    /// RFC 9110 `tchar`: the characters of a cookie name.
    package static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    /// RFC 6265 `cookie-octet`: visible ASCII except `"`, `,`, `;` and `\`.
    package static func isCookieOctet(_ b: UInt8) -> Bool {
        b == 0x21 || (0x23...0x2B).contains(b) || (0x2D...0x3A).contains(b) || (0x3C...0x5B).contains(b)
            || (0x5D...0x7E).contains(b)
    }

    /// RFC 6265 `av-octet` as used for `Path`: any CHAR except CTLs and `;`.
    package static func isAttributeValueByte(_ b: UInt8) -> Bool {
        b >= 0x20 && b < 0x7F && b != UInt8(ascii: ";")
    }

    /// Longest cookie name plus value, in bytes (RFC 6265bis §5.6).
    package static let maxNameValueBytes = 4096
    /// Longest attribute value, in bytes (RFC 6265bis §5.6).
    package static let maxAttributeValueBytes = 1024

    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameValueBytes && name.utf8.allSatisfy(isTokenByte)
    }

    /// A value of cookie-octets, optionally wrapped in one pair of double quotes. Read on the
    /// string's contiguous bytes: every re-issue checks a whole token, and a walk over
    /// `String.UTF8View` indices cost more than sealing it.
    package static func isValidValue(_ value: String) -> Bool {
        if let valid = value.utf8.withContiguousStorageIfAvailable({ isValidValue(UnsafeRawBufferPointer($0)) }) {
            return valid
        }
        return Array(value.utf8).withUnsafeBytes(isValidValue)
    }

    /// ``isCookieOctet(_:)`` for the bytes 0 to 63 and 64 to 127, a bit each.
    package static let cookieOctetMask: (UInt64, UInt64) = (0xF7FF_EFFA_0000_0000, 0x7FFF_FFFF_EFFF_FFFF)

    private static func isValidValue(_ value: UnsafeRawBufferPointer) -> Bool {
        var bytes = value[...]
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") {
            bytes = bytes.dropFirst().dropLast()
        }
        // cookie-octet as a 128-bit mask, one bit a byte value (two words; the test below checks
        // it against ``isCookieOctet(_:)`` for every byte), tested branch-free per byte; bytes
        // from 0x80 fail by their high bit.
        let (low, high) = cookieOctetMask
        var bad: UInt64 = 0
        for b in bytes {
            let word = b < 64 ? low : high
            bad |= (~(word >> UInt64(b & 63)) & 1) | UInt64(b >> 7)
        }
        return bad == 0
    }

    /// True when every byte is a lowercase hex digit. The bytes are a token's public shape, so
    /// the test may branch.
    package static func isLowerHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
