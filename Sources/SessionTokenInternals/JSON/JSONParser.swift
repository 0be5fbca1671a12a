/// A strict RFC 8259 parser over raw bytes.
///
/// Stricter than Foundation where it matters for tokens: duplicate member names are an error
/// (RFC 7516 §4 and RFC 7519 §4 require unique names; `JSONSerialization` silently keeps one),
/// strings must be valid UTF-8 with no unpaired surrogate escapes, numbers must be finite,
/// and depth and member counts are bounded. Whitespace may surround the document; nothing
/// else may follow it.
package struct JSONParser: ~Copyable {
    package enum Failure: Error, Equatable {
        case syntax
        case duplicateMember
        case tooDeep
        case tooManyMembers
    }

    private let bytes: UnsafeRawBufferPointer
    package private(set) var position: Int = 0
    private let limits: JSONLimits
    private var memberCount = 0

    package init(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses one complete document.
    package static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 1)
        try parser.expectEnd()
        return value
    }

    package static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBytes { raw in
            do throws(Failure) { return .success(try parse(raw, limits: limits)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: - Cursor

    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always)
    package func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    @inline(__always)
    package mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    package mutating func expect(_ byte: UInt8) throws(Failure) {
        guard position < bytes.count, bytes[position] == byte else { throw .syntax }
        position += 1
    }

    /// After the document: only whitespace may remain.
    package mutating func expectEnd() throws(Failure) {
        skipWhitespace()
        guard isAtEnd else { throw .syntax }
    }

    @inline(__always)
    package mutating func countMember() throws(Failure) {
        memberCount += 1
        guard memberCount <= limits.maxMembers else { throw .tooManyMembers }
    }

    // MARK: - Values

    package mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard let byte = peek() else { throw .syntax }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth <= limits.maxDepth else { throw .tooDeep }
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                try countMember()
                let name = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                guard members.updateValue(value, forKey: name) == nil else { throw .duplicateMember }
                skipWhitespace()
                guard let next = peek() else { throw .syntax }
                position += 1
                if next == UInt8(ascii: "}") { return .object(members) }
                guard next == UInt8(ascii: ",") else { throw .syntax }
                skipWhitespace()
            }
        case UInt8(ascii: "["):
            guard depth <= limits.maxDepth else { throw .tooDeep }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                try countMember()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard let next = peek() else { throw .syntax }
                position += 1
                if next == UInt8(ascii: "]") { return .array(elements) }
                guard next == UInt8(ascii: ",") else { throw .syntax }
                skipWhitespace()
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            return .number(try parseNumber())
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw .syntax }
        let start = literal.utf8Start
        for i in 0..<count where bytes[position + i] != start[i] { throw .syntax }
        position += count
    }

    /// Validates a value without building it (duplicate names are still detected).
    package mutating func skipValue(depth: Int) throws(Failure) {
        guard let byte = peek() else { throw .syntax }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            _ = try parseValue(depth: depth)
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: _ = try parseNumber()
        }
    }

    // MARK: - Strings

    /// A string token located in the input: its raw bytes between the quotes and whether
    /// they contain escapes (if not, the raw bytes are the string's UTF-8).
    package struct RawString {
        package var range: Range<Int>
        package var hasEscapes: Bool
    }

    /// The input's bytes in `range` (a ``RawString``'s, say), without a copy.
    package func bytes(in range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Scans a string token, checking its syntax and UTF-8, without allocating.
    package mutating func scanString() throws(Failure) -> RawString {
        try expect(UInt8(ascii: "\""))
        let start = position
        var hasEscapes = false
        var asciiOnly = true
        while true {
            // Plain printable ASCII sixteen bytes a step; the byte that ends the run is read below.
            position += StringBytes.plainRun(in: bytes, from: position)
            guard position < bytes.count else { throw .syntax }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .syntax }
            if byte >= 0x80 { asciiOnly = false }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
                guard position < bytes.count else { throw .syntax }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    _ = try readHex4()
                default:
                    throw .syntax
                }
                continue
            }
            position += 1
        }
        let range = start..<position
        position += 1
        if !asciiOnly {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[range]).assumingMemoryBound(to: UInt8.self)
            guard String(validating: raw, as: UTF8.self) != nil else { throw .syntax }
        }
        return RawString(range: range, hasEscapes: hasEscapes)
    }

    /// Reads a string token into a String.
    package mutating func parseString() throws(Failure) -> String {
        let raw = try scanString()
        return try decodeString(raw)
    }

    /// The bytes of a scanned string token, unescaped.
    package func decodeString(_ raw: RawString) throws(Failure) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[raw.range])
        guard raw.hasEscapes else {
            return String(decoding: slice, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            let byte = slice[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let kind = slice[i + 1]
            i += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(Self.hex4(slice, at: i))
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard i + 6 <= slice.count, slice[i] == UInt8(ascii: "\\"), slice[i + 1] == UInt8(ascii: "u")
                    else { throw .syntax }
                    let low = UInt32(Self.hex4(slice, at: i + 2))
                    guard (0xDC00..<0xE000).contains(low) else { throw .syntax }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .syntax
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .syntax }
                out.append(contentsOf: unicode.utf8)
            default: out.append(kind)  // the quote, backslash and solidus stand for themselves
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func readHex4() throws(Failure) -> UInt16 {
        guard bytes.count - position >= 4 else { throw .syntax }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(bytes[position]) else { throw .syntax }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// Four hex digits already validated by `scanString`.
    private static func hex4(_ slice: UnsafeRawBufferPointer, at i: Int) -> UInt16 {
        var value: UInt16 = 0
        for k in 0..<4 { value = value << 4 | UInt16(hexDigit(slice[i + k]) ?? 0) }
        return value
    }

    @inline(__always)
    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// True when the scanned string equals `literal`, compared without allocating when it has
    /// no escapes.
    package func stringEquals(_ raw: RawString, _ literal: StaticString) throws(Failure) -> Bool {
        if raw.hasEscapes {
            return try decodeString(raw) == literal.description
        }
        let count = literal.utf8CodeUnitCount
        guard raw.range.count == count else { return false }
        let start = literal.utf8Start
        for i in 0..<count where bytes[raw.range.lowerBound + i] != start[i] { return false }
        return true
    }

    // MARK: - Numbers

    /// Parses a number with RFC 8259's grammar (no leading zeros, no `+`, no bare `.`); the
    /// result must be finite.
    package mutating func parseNumber() throws(Failure) -> Double {
        let start = position
        var isInteger = true
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw .syntax }
        position += 1
        if first != UInt8(ascii: "0") {
            while let d = peek(), Self.isDigit(d) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let d = peek(), Self.isDigit(d) else { throw .syntax }
            while let d = peek(), Self.isDigit(d) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), Self.isDigit(d) else { throw .syntax }
            while let d = peek(), Self.isDigit(d) { position += 1 }
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        // Integers of up to 15 digits are exact in a Double: convert without a String.
        if isInteger && text.count <= 16 {
            var negative = false
            var value: Int64 = 0
            for byte in text {
                if byte == UInt8(ascii: "-") { negative = true; continue }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            if text.count - (negative ? 1 : 0) <= 15 {
                return Double(negative ? -value : value)
            }
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { throw .syntax }
        return value
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
