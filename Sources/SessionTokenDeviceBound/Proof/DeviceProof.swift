import SessionTokenInternals

/// A browser's proof of its device key: the JWT it sends in `Secure-Session-Response`, checked
/// in full before anything in its payload is believed.
///
/// The order is the security argument. The header is read first, because it says how to
/// verify: `typ` must be exactly `dbsc+jwt` (so no other JWT the key may sign elsewhere can
/// serve), `alg` one of those offered (never `none` or an HMAC, whose key would be public) and,
/// on refresh, the one the device registered with; a `crit` member is refused, since nothing
/// here understands an extension. The key is the registration's `jwk`, or on refresh the
/// ticket's: a `jwk` in a refresh header is ignored, so an attacker's own key in it proves
/// nothing. The signature is verified over the bytes as sent; only then is the payload parsed
/// and its `jti` handed to the caller, which checks it against the challenges it issued.
package struct DeviceProof: Sendable {
    /// The key that signed it.
    package let key: DeviceKey
    /// `jti`: the challenge the browser signed, to be checked by the caller.
    package let challenge: String
    /// `authorization`, when the server offered one at registration.
    package let authorization: String?

    /// The longest proof read: an RS256 registration with an 8192-bit key is about 2.5 KB.
    package static let maxLength = 8192
    private static let limits = JSONLimits(maxDepth: 3, maxMembers: 32)

    /// A registration proof: its key is the header's `jwk`, for one of `offered`.
    package static func registration(_ jwt: String, offered: [DeviceKeyAlgorithm]) throws(ProofRejection) -> DeviceProof {
        try verify(jwt) { header, algorithm throws(ProofRejection) in
            guard offered.contains(algorithm) else { throw .algorithm }
            guard let jwk = header["jwk"] else { throw .key }
            return try DeviceKey(jwk: jwk, algorithm: algorithm)
        }
    }

    /// A refresh proof, signed by the key the device registered.
    package static func refresh(_ jwt: String, key: DeviceKey) throws(ProofRejection) -> DeviceProof {
        try verify(jwt) { _, algorithm throws(ProofRejection) in
            guard algorithm == key.algorithm else { throw .algorithm }
            return key
        }
    }

    private static func verify(
        _ jwt: String, key chooseKey: ([String: JSONValue], DeviceKeyAlgorithm) throws(ProofRejection) -> DeviceKey
    ) throws(ProofRejection) -> DeviceProof {
        let bytes = Array(jwt.utf8)
        guard bytes.count <= maxLength else { throw .malformed }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { throw .malformed }
        let headerText = bytes[..<dots[0]]
        let payloadText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]

        // 1. The header: how to verify.
        guard case .object(let header) = try parse(headerText) else { throw .malformed }
        guard header["crit"] == nil else { throw .malformed }
        guard case .string("dbsc+jwt")? = header["typ"] else { throw .type }
        guard case .string(let name)? = header["alg"], let algorithm = DeviceKeyAlgorithm(rawValue: name) else {
            throw .algorithm
        }
        let key = try chooseKey(header, algorithm)

        // 2. The signature, over the first two segments exactly as sent, once all three are
        //    canonical base64url (a stray byte is malformed, whatever it does to the signature).
        guard let signature = Base64URL.decoded(signatureText), let payloadJSON = Base64URL.decoded(payloadText) else { throw .malformed }
        let authentic = bytes.withUnsafeBytes { raw in
            key.isValidSignature(signature, for: UnsafeRawBufferPointer(rebasing: raw[..<dots[1]]))
        }
        guard authentic else { throw .signature }

        // 3. Only now the payload.
        guard case .object(let payload)? = try? JSONParser.parse(payloadJSON, limits: limits) else { throw .malformed }
        guard case .string(let jti)? = payload["jti"] else { throw .challenge }
        var authorization: String?
        if let member = payload["authorization"] {
            guard case .string(let value) = member else { throw .malformed }
            authorization = value
        }
        return DeviceProof(key: key, challenge: jti, authorization: authorization)
    }

    private static func parse(_ segment: ArraySlice<UInt8>) throws(ProofRejection) -> JSONValue {
        guard let json = Base64URL.decoded(segment), let value = try? JSONParser.parse(json, limits: limits) else {
            throw .malformed
        }
        return value
    }
}
