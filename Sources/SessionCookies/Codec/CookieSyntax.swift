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

    /// A value of cookie-octets, optionally wrapped in one pair of double quotes.
    package static func isValidValue(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.allSatisfy(isCookieOctet)
    }

    /// True when every byte is a lowercase hex digit. The bytes are a token's public shape, so
    /// the test may branch.
    package static func isLowerHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
