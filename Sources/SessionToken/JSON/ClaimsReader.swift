import struct Foundation.Date
package import SessionTokenInternals

/// Reads the registered claims out of an authenticated payload in one pass, without building
/// a JSON tree and without Foundation's decoder (the hot path's biggest cost otherwise).
///
/// The whole document is still validated as strict JSON: a payload this reader accepts is one
/// `JSONSerialization` accepts too, minus duplicate member names, which it refuses at every
/// level. Custom members are checked and skipped.
package enum ClaimsReader {
    package enum Failure: Error {
        case malformed
    }

    private enum Member { case sub, iat, exp, nbf, jti, iss, aud, authTime, sid, dbsc, other }

    package static func read(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(Failure) -> SessionClaims {
        // The claims this library seals, recognised by their bytes (see `readFast`); anything
        // else, valid or not, is decided by the strict reader.
        if let claims = readFast(bytes, limits: limits) { return claims }
        do throws(JSONParser.Failure) {
            return try readMembers(bytes, limits: limits, collectCustom: false).claims
        } catch {
            throw .malformed
        }
    }

    /// Only the strict reader, without the fast path: for tests that compare both.
    package static func readStrict(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(Failure) -> SessionClaims {
        do throws(JSONParser.Failure) {
            return try readMembers(bytes, limits: limits, collectCustom: false).claims
        } catch {
            throw .malformed
        }
    }

    /// The registered claims and, for each of `names` (custom members such as next-auth's
    /// `name`, `email` and `picture`), its value when it is a string, nil when it is absent or
    /// `null`; a picked member of any other type is malformed. Names match byte for byte (after
    /// unescaping); at most 64 names.
    package static func read(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits, picking names: [StaticString]
    ) throws(Failure) -> (claims: SessionClaims, picked: [String?]) {
        do throws(JSONParser.Failure) {
            let result = try readMembers(bytes, limits: limits, collectCustom: false, picking: names)
            return (result.claims, result.picked)
        } catch {
            throw .malformed
        }
    }

    /// The custom members (everything but the registered claims) as JSON text `"a":1,"b":[2]`,
    /// exactly as they were sealed: what a re-issued token carries over.
    package static func customMembers(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(Failure) -> [UInt8] {
        let ranges: [Range<Int>]
        do throws(JSONParser.Failure) {
            ranges = try readMembers(bytes, limits: limits, collectCustom: true).custom
        } catch {
            throw .malformed
        }
        var out: [UInt8] = []
        for range in ranges {
            if !out.isEmpty { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
        return out
    }

    private static func readMembers(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits, collectCustom: Bool, picking names: [StaticString] = []
    ) throws(JSONParser.Failure) -> (claims: SessionClaims, custom: [Range<Int>], picked: [String?]) {
        precondition(names.count <= 64)
        var custom: [Range<Int>] = []
        var picked = [String?](repeating: nil, count: names.count)
        var pickedSeen: UInt64 = 0
        var parser = JSONParser(bytes, limits: limits)
        var sub: String?, jti: String?, iss: String?, sid: String?
        var exp: Double?, iat: Double?, nbf: Double?, authTime: Double?
        var aud: [String] = []
        var seen: UInt16 = 0
        var confirmed = false
        var otherNames = OtherNames()

        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "{"))
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            throw .syntax  // no `exp`
        }
        while true {
            try parser.countMember()
            let memberStart = parser.position
            let name = try parser.scanString()
            parser.skipWhitespace()
            try parser.expect(UInt8(ascii: ":"))
            parser.skipWhitespace()
            let member = try identify(name, in: parser)
            if member != .other {
                let bit: UInt16 = 1 << bitIndex(member)
                guard seen & bit == 0 else { throw .duplicateMember }
                seen |= bit
            }
            switch member {
            case .sub: sub = try readString(&parser)
            case .jti: jti = try readString(&parser)
            case .sid: sid = try readString(&parser)
            case .iss: iss = try readString(&parser)
            case .exp: exp = try readNumber(&parser)
            case .iat: iat = try readNumber(&parser)
            case .nbf: nbf = try readNumber(&parser)
            case .authTime: authTime = try readNumber(&parser)
            case .dbsc:
                // A device-bound session's cookie: the number 1, nothing else.
                guard try readNumber(&parser) == 1 else { throw .syntax }
                confirmed = true
            case .aud:
                if parser.peek() == UInt8(ascii: "[") {
                    guard case .array(let items) = try parser.parseValue(depth: 2) else { throw .syntax }
                    for item in items {
                        guard case .string(let s) = item else { throw .syntax }
                        aud.append(s)
                    }
                } else {
                    aud = [try readString(&parser)]
                }
            case .other:
                // A picked member is recognised by its bytes, and counted in its own bit.
                if let index = try pickedIndex(name, names, in: parser) {
                    let bit: UInt64 = 1 << UInt64(index)
                    guard pickedSeen & bit == 0 else { throw .duplicateMember }
                    pickedSeen |= bit
                    if parser.peek() == UInt8(ascii: "n") {
                        try parser.skipValue(depth: 2)  // `null`, or a syntax error
                    } else {
                        picked[index] = try readString(&parser)
                    }
                    if collectCustom { custom.append(memberStart..<parser.position) }
                    break
                }
                guard try otherNames.insert(name, in: parser) else { throw .duplicateMember }
                try parser.skipValue(depth: 2)
                if collectCustom { custom.append(memberStart..<parser.position) }
            }
            parser.skipWhitespace()
            guard let next = parser.peek() else { throw .syntax }
            try parser.expect(next)
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw .syntax }
            parser.skipWhitespace()
        }
        try parser.expectEnd()
        guard let exp else { throw .syntax }
        let claims = SessionClaims(
            subject: sub, issuedAt: iat.map(Date.init(timeIntervalSince1970:)),
            expiresAt: Date(timeIntervalSince1970: exp), notBefore: nbf.map(Date.init(timeIntervalSince1970:)),
            tokenID: jti, issuer: iss, audience: aud, authenticatedAt: authTime.map(Date.init(timeIntervalSince1970:)),
            sessionID: sid, isDeviceBound: confirmed)
        return (claims, custom, picked)
    }

    private static func identify(_ name: JSONParser.RawString, in parser: borrowing JSONParser) throws(JSONParser.Failure)
        -> Member
    {
        // Registered names are three ASCII letters or `auth_time`; others are custom at a glance.
        guard name.hasEscapes || name.range.count == 3 || name.range.count == 4 || name.range.count == 9 else {
            return .other
        }
        if try parser.stringEquals(name, "sub") { return .sub }
        if try parser.stringEquals(name, "exp") { return .exp }
        if try parser.stringEquals(name, "iat") { return .iat }
        if try parser.stringEquals(name, "jti") { return .jti }
        if try parser.stringEquals(name, "sid") { return .sid }
        if try parser.stringEquals(name, "nbf") { return .nbf }
        if try parser.stringEquals(name, "iss") { return .iss }
        if try parser.stringEquals(name, "aud") { return .aud }
        if try parser.stringEquals(name, "dbsc") { return .dbsc }
        if try parser.stringEquals(name, "auth_time") { return .authTime }
        return .other
    }

    /// The position of `name` among `names`, or nil.
    private static func pickedIndex(
        _ name: JSONParser.RawString, _ names: [StaticString], in parser: borrowing JSONParser
    ) throws(JSONParser.Failure) -> Int? {
        for (index, candidate) in names.enumerated() where try parser.stringEquals(name, candidate) { return index }
        return nil
    }

    private static func bitIndex(_ member: Member) -> UInt16 {
        switch member {
        case .sub: 0
        case .iat: 1
        case .exp: 2
        case .nbf: 3
        case .jti: 4
        case .iss: 5
        case .aud: 6
        case .authTime: 7
        case .sid: 8
        case .dbsc: 9
        case .other: 0
        }
    }

    private static func readString(_ parser: inout JSONParser) throws(JSONParser.Failure) -> String {
        guard parser.peek() == UInt8(ascii: "\"") else { throw .syntax }
        return try parser.parseString()
    }

    private static func readNumber(_ parser: inout JSONParser) throws(JSONParser.Failure) -> Double {
        guard let byte = parser.peek(), byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        else { throw .syntax }
        return try parser.parseNumber()
    }
}

/// The names of the members a reader does not know, to refuse one sent twice. The first eight
/// plain ASCII names are kept as byte ranges of the payload and compared byte for byte (for
/// ASCII, the same test as `String`'s equality), so that a token with a few custom members
/// allocates nothing for them; a name with an escape or outside ASCII, or a ninth, moves them all
/// into a `Set<String>`, which compares as the decoded strings always did.
struct OtherNames {
    private var ranges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) =
        (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
    private var count = 0
    private var set: Set<String>?

    /// Adds `name`; false when it was there already.
    mutating func insert(_ name: JSONParser.RawString, in parser: borrowing JSONParser) throws(JSONParser.Failure) -> Bool {
        let candidate = parser.bytes(in: name.range)
        if set == nil, count < 8, !name.hasEscapes, candidate.allSatisfy({ $0 < 0x80 }) {
            let found = withUnsafeBytes(of: &ranges) { stored in
                stored.withMemoryRebound(to: Range<Int>.self) { stored in
                    stored.prefix(count).contains { parser.bytes(in: $0).elementsEqual(candidate) }
                }
            }
            if found { return false }
            withUnsafeMutableBytes(of: &ranges) { $0.withMemoryRebound(to: Range<Int>.self) { $0[count] = name.range } }
            count += 1
            return true
        }
        // Taken out while it changes, so that the insert does not copy it.
        var names = set ?? []
        set = nil
        if names.isEmpty {
            for index in 0..<count {
                let range = withUnsafeBytes(of: &ranges) { $0.withMemoryRebound(to: Range<Int>.self) { $0[index] } }
                names.insert(String(decoding: parser.bytes(in: range), as: UTF8.self))
            }
            count = 0
        }
        let inserted = names.insert(try parser.decodeString(name)).inserted
        set = names
        return inserted
    }
}

