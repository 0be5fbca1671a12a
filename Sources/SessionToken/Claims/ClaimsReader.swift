import struct Foundation.Date

/// Reads the registered claims out of an authenticated payload in one pass, without building
/// a JSON tree and without Foundation's decoder (the hot path's biggest cost otherwise).
///
/// The whole document is still validated as strict JSON: a payload this reader accepts is one
/// `JSONSerialization` accepts too, minus duplicate member names, which it refuses at every
/// level. Custom members are checked and skipped.
enum ClaimsReader {
    enum Failure: Error {
        case malformed
    }

    private enum Member { case sub, iat, exp, nbf, jti, iss, aud, other }

    static func read(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(Failure) -> SessionClaims {
        do throws(JSONParser.Failure) {
            return try readMembers(bytes, limits: limits)
        } catch {
            throw .malformed
        }
    }

    private static func readMembers(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(JSONParser.Failure)
        -> SessionClaims
    {
        var parser = JSONParser(bytes, limits: limits)
        var sub: String?, jti: String?, iss: String?
        var exp: Double?, iat: Double?, nbf: Double?
        var aud: [String] = []
        var seen: UInt8 = 0
        var otherNames: Set<String>?

        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "{"))
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            throw .syntax  // no `exp`
        }
        while true {
            try parser.countMember()
            let name = try parser.scanString()
            parser.skipWhitespace()
            try parser.expect(UInt8(ascii: ":"))
            parser.skipWhitespace()
            let member = try identify(name, in: parser)
            if member != .other {
                let bit: UInt8 = 1 << bitIndex(member)
                guard seen & bit == 0 else { throw .duplicateMember }
                seen |= bit
            }
            switch member {
            case .sub: sub = try readString(&parser)
            case .jti: jti = try readString(&parser)
            case .iss: iss = try readString(&parser)
            case .exp: exp = try readNumber(&parser)
            case .iat: iat = try readNumber(&parser)
            case .nbf: nbf = try readNumber(&parser)
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
                let decoded = try parser.decodeString(name)
                if otherNames == nil { otherNames = [] }
                guard otherNames?.insert(decoded).inserted == true else { throw .duplicateMember }
                try parser.skipValue(depth: 2)
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
        return SessionClaims(
            subject: sub, issuedAt: iat.map(Date.init(timeIntervalSince1970:)),
            expiresAt: Date(timeIntervalSince1970: exp), notBefore: nbf.map(Date.init(timeIntervalSince1970:)),
            tokenID: jti, issuer: iss, audience: aud)
    }

    private static func identify(_ name: JSONParser.RawString, in parser: borrowing JSONParser) throws(JSONParser.Failure)
        -> Member
    {
        // Registered names are three ASCII letters; anything else is custom without comparing.
        guard name.hasEscapes || name.range.count == 3 else { return .other }
        if try parser.stringEquals(name, "sub") { return .sub }
        if try parser.stringEquals(name, "exp") { return .exp }
        if try parser.stringEquals(name, "iat") { return .iat }
        if try parser.stringEquals(name, "jti") { return .jti }
        if try parser.stringEquals(name, "nbf") { return .nbf }
        if try parser.stringEquals(name, "iss") { return .iss }
        if try parser.stringEquals(name, "aud") { return .aud }
        return .other
    }

    private static func bitIndex(_ member: Member) -> UInt8 {
        switch member {
        case .sub: 0
        case .iat: 1
        case .exp: 2
        case .nbf: 3
        case .jti: 4
        case .iss: 5
        case .aud: 6
        case .other: 7
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
