/// Percent-encoding of cookie values, as next-auth's serializer (the `cookie` npm package,
/// `encodeURIComponent`) writes them, so that any text becomes cookie-octets.
///
/// Every byte of the UTF-8 form except `A-Z a-z 0-9 - _ . ! ~ * ' ( )` becomes `%XX` (upper
/// case): `token|hash` becomes `token%7Chash`, `https://a/b` becomes `https%3A%2F%2Fa%2Fb`.
/// base64url tokens and the consent record pass through unchanged.
public enum CookieValueCoding {
    /// The value percent-encoded; always valid as a cookie value.
    public static func encode(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for b in value.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value with its `%XX` escapes decoded (either case), or nil when an escape is
    /// malformed or the result is not UTF-8.
    public static func decode(_ value: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var iterator = value.utf8.makeIterator()
        while let b = iterator.next() {
            guard b == UInt8(ascii: "%") else {
                out.append(b)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            out.append(high << 4 | low)
        }
        // Decoding repairs invalid UTF-8 with U+FFFD, so a round trip that differs means it was invalid.
        let text = String(decoding: out, as: UTF8.self)
        return text.utf8.elementsEqual(out) ? text : nil
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-_.!~*'()".utf8.contains(b)
        }
    }

    /// The value of one hex digit of a percent-escape, either case; nil for any other byte.
    package static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - 55
        default: return nil
        }
    }
}
