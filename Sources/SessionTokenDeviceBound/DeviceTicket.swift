import Foundation
import SessionToken
import SessionTokenInternals

/// What a device-bound session's ticket carries: the session (its user, `sid`, `auth_time` and
/// custom claims), the device's public key, and the generation of the challenge the next
/// refresh must sign. Sealed under ``TokenPurpose/deviceTicket``, so it never opens as a session.
struct DeviceTicket {
    let subject: String
    let sessionID: String
    let sessionStart: Double
    let key: DeviceKey
    let generation: Int
    /// The session's custom claims as member text (`"a":1,"b":2`), possibly empty.
    let customMembers: [UInt8]

    /// Seals it; the token's `sid` and `auth_time` are the session's.
    func seal(with sealer: SessionSealer, at now: Date) throws(SessionTokenError) -> SessionSealer.Sealed {
        var members = Array(#""device":{"alg":"\#(key.algorithm.name)","jwk":"#.utf8)
        members += key.canonicalJWK
        members += Array(#","g":\#(generation)},"claims":{"#.utf8)
        members += customMembers
        members += Array("}".utf8)
        return try sealer.seal(
            subject: subject, customMembers: members[...], at: now,
            continuing: .init(sessionID: sessionID, authTime: sessionStart))
    }

    /// The ticket `token` holds: authenticated, its times and the absolute lifetime checked
    /// (``SessionTokenError/expired`` past it), then read.
    static func open(_ token: String, with sealer: SessionSealer, at now: Date) throws(SessionTokenError) -> DeviceTicket {
        try sealer.withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard let subject = session.claims.subject, let sessionID = session.claims.sessionID,
                let start = session.claims.authenticatedAt,
                let members = try? ClaimsReader.customMembers(payload, limits: sealer.claimsLimits),
                case .object(let custom)? = try? JSONParser.parse(Array("{".utf8) + members + Array("}".utf8)),
                case .object(let device)? = custom["device"], case .string(let name)? = device["alg"],
                let algorithm = DeviceKeyAlgorithm(rawValue: name), let jwk = device["jwk"],
                case .number(let generation)? = device["g"], generation >= 0, generation < 1e15,
                generation == generation.rounded(), case .object? = custom["claims"], let claims = custom["claims"],
                let key = try? DeviceKey(jwk: jwk, algorithm: algorithm)
            else { throw .invalid }
            var text: [UInt8] = []
            JSONText.append(claims, to: &text)
            return DeviceTicket(
                subject: subject, sessionID: sessionID, sessionStart: start.timeIntervalSince1970, key: key,
                generation: Int(generation), customMembers: Array(text.dropFirst().dropLast()))
        }
    }

    /// The same session and key at the next generation.
    var next: DeviceTicket {
        DeviceTicket(
            subject: subject, sessionID: sessionID, sessionStart: sessionStart, key: key, generation: generation + 1,
            customMembers: customMembers)
    }

    /// The bound cookie's custom members: `"dbsc":1` first (where the fast claims reader looks
    /// for it), then the session's own claims.
    var boundMembers: [UInt8] {
        var members = Array(#""dbsc":1"#.utf8)
        if !customMembers.isEmpty {
            members.append(UInt8(ascii: ","))
            members += customMembers
        }
        return members
    }
}
