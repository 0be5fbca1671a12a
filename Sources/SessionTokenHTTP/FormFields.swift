import SessionCookies

/// Reads one field of an `application/x-www-form-urlencoded` body (WHATWG URL §5.1: `&`-separated
/// pairs, `+` for a space, percent-escapes), for the CSRF check. A field that appears twice is
/// ambiguous and reads as absent, as a cookie sent twice does.
///
/// One pass over the body's UTF-8 in place: a name is compared as it is sent unless it holds an
/// escape or a `+` (then it is decoded first), and only the field's own value is decoded, so a
/// form's other fields cost a scan and no allocation.
package enum FormFields {
    /// The decoded value of `name`, or nil when it is absent, repeated or badly escaped.
    package static func value(of name: String, in body: String) -> String? {
        var body = body, name = name
        return body.withUTF8 { body in
            name.withUTF8 { name in value(of: UnsafeRawBufferPointer(name), in: UnsafeRawBufferPointer(body)) }
        }
    }

    private static func value(of name: UnsafeRawBufferPointer, in body: UnsafeRawBufferPointer) -> String? {
        var found: Range<Int>?
        var start = 0
        while start <= body.count {
            let end = body[start...].firstIndex(of: UInt8(ascii: "&")) ?? body.count
            defer { start = end + 1 }
            guard end > start else { continue }
            let equals = body[start..<end].firstIndex(of: UInt8(ascii: "=")) ?? end
            guard decodedEquals(UnsafeRawBufferPointer(rebasing: body[start..<equals]), name) else { continue }
            // Twice: ambiguous, whatever the values.
            guard found == nil else { return nil }
            found = min(equals + 1, end)..<end
        }
        guard let found else { return nil }
        return decode(UnsafeRawBufferPointer(rebasing: body[found]))
    }

    /// Whether `raw`, decoded, is `name`; a name that does not decode matches nothing.
    private static func decodedEquals(_ raw: UnsafeRawBufferPointer, _ name: UnsafeRawBufferPointer) -> Bool {
        guard raw.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return raw.elementsEqual(name)
        }
        guard let decoded = decode(raw) else { return false }
        var copy = decoded
        return copy.withUTF8 { UnsafeRawBufferPointer($0).elementsEqual(name) }
    }

    /// `+` as a space and `%XX` as its byte; nil for a bad escape or bytes that are not UTF-8.
    private static func decode(_ raw: UnsafeRawBufferPointer) -> String? {
        guard raw.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            // A piece of a String between ASCII separators is UTF-8 already.
            return String(decoding: raw, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard i + 2 < raw.count, let high = CookieValueCoding.hexValue(raw[i + 1]),
                    let low = CookieValueCoding.hexValue(raw[i + 2]) else { return nil }
                bytes.append(high << 4 | low)
                i += 2
            } else {
                bytes.append(byte)
            }
            i += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
