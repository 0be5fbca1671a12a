import Crypto
import Foundation
import SessionToken

extension NextAuthCodec {
    /// Decodes a session token into next-auth's standard claims.
    ///
    /// - Parameters:
    ///   - token: The compact JWE: the cookie's value, reassembled from its chunks.
    ///   - now: The current time; inject it in tests.
    /// - Throws: ``SessionTokenError/invalid`` for any token that is too long, malformed, names
    ///   an unknown key or fails to authenticate, or whose claims are unusable (no numeric
    ///   `exp`, a member of the wrong type); ``SessionTokenError/expired`` and
    ///   ``SessionTokenError/notYetValid`` only for a token that authenticated.
    public func decode(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> NextAuthClaims {
        try decode(token, as: NextAuthClaims.self, at: now)
    }

    /// Decodes a session token's claims as `Custom` with `JSONDecoder` (dates as seconds since
    /// 1970), for the members an app's `jwt` callback adds.
    ///
    /// - Throws: As ``decode(_:at:)``; also ``SessionTokenError/invalid`` when the authenticated
    ///   claims do not decode as `Custom`.
    public func decode<Custom: Decodable>(
        _ token: String, as type: Custom.Type, at now: Date = Date()
    ) throws(SessionTokenError) -> Custom {
        try withVerifiedPayload(token, at: now) { payload throws(SessionTokenError) in
            guard let value = ClaimsDecoding.decode(Custom.self, from: payload) else { throw .invalid }
            return value
        }
    }

    /// The whole decoding path, top to bottom. `body` sees the authenticated, time-checked
    /// claims JSON in scratch memory that is zeroed when it returns.
    func withVerifiedPayload<R>(
        _ token: String, at now: Date, _ body: (UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        // 1. Length, before looking at a single byte.
        guard token.utf8.count <= maxTokenLength else { throw .invalid }
        var token = token
        token.makeContiguousUTF8()
        return try token.utf8Span.span.withUnsafeBytes { bytes throws(SessionTokenError) -> R in
            // The plaintext is shorter than the token's text.
            try StackScratch.with(byteCount: bytes.count) { scratch throws(SessionTokenError) -> R in
                try withVerifiedPayload(bytes, at: now, scratch: scratch, body)
            }
        }
    }

    /// Steps 2 to 6 with the plaintext copied into `scratch` (which the tests supply to check
    /// the wipe) and zeroed there when `body` returns or anything throws.
    func withVerifiedPayload<R>(
        _ token: UnsafeRawBufferPointer, at now: Date, scratch: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        var used = 0
        defer { SecretMemory.wipe(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<used])) }
        do {
            // The decrypted Data is held by this one variable only, so that wiping it in place
            // reaches the bytes the cipher wrote (a second reference would make the wipe
            // copy-on-write a fresh buffer and leave the plaintext in the freed one).
            var decrypted = try authenticate(token)
            defer { decrypted.withUnsafeMutableBytes { SecretMemory.wipe($0) } }
            guard decrypted.count <= scratch.count else { throw SessionTokenError.invalid }
            used = decrypted.count
            decrypted.withUnsafeBytes { scratch.copyMemory(from: $0) }
        }
        let payload = UnsafeRawBufferPointer(rebasing: scratch[0..<used])

        // 5. Only now read the claims: strict JSON, one object, unique names, a numeric `exp`.
        let claims: SessionClaims
        do throws(ClaimsReader.Failure) {
            claims = try ClaimsReader.read(payload, limits: Self.claimsLimits)
        } catch {
            throw .invalid
        }

        // 6. Times, with next-auth's tolerance, by the core's one time check.
        try claims.checkTimes(at: now.timeIntervalSince1970, leeway: clockTolerance)

        return try body(payload)
    }

    /// Claims may carry more than the core's own tokens: an app's `jwt` callback adds members.
    static let claimsLimits = JSONLimits(maxDepth: 16, maxMembers: 1024)

    /// Steps 2 to 4: form, header, key, decryption. Returns the plaintext or throws `invalid`.
    private func authenticate(_ token: UnsafeRawBufferPointer) throws(SessionTokenError) -> Data {
        // 2. Five segments, the second (the encrypted key, which `dir` leaves out) empty.
        guard let segments = CompactSegments(token), segments.encryptedKey.isEmpty,
            // 3. The header: canonical base64url of a JSON object with unique members, `alg`
            //    `dir`, no `zip`, no `crit`.
            let header = ProtectedHeader.parse(segment: segments.header)
        else { throw .invalid }

        // The IV, ciphertext and tag, canonical base64url each.
        guard let iv = Self.decodeSegment(segments.iv), let tag = Self.decodeSegment(segments.tag),
            let ciphertext = Self.decodeSegment(segments.ciphertext)
        else { throw .invalid }
        let aad = segments.header

        // 4. The key the format and header name, then authenticated decryption.
        switch (format, header.enc) {
        case (.v4, "A256GCM"):
            // next-auth v4 writes no `kid` and jose ignores one: try each secret in order.
            for secret in secrets {
                if let plaintext = AESGCMContent.open(
                    ciphertext: ciphertext, tag: tag, iv: iv, additionalData: aad, key: secret.gcm)
                {
                    return plaintext
                }
            }
            throw .invalid
        case (.v5, "A256CBC-HS512"):
            guard let secret = select(kid: header.kid, by: \.cbcKeyID), let key = secret.cbc,
                let plaintext = AESCBCHMACContent.open(
                    ciphertext: ciphertext, tag: tag, iv: iv, additionalData: aad, key: key)
            else { throw .invalid }
            return plaintext
        case (.v5, "A256GCM"):
            guard let secret = select(kid: header.kid, by: \.gcmKeyID),
                let plaintext = AESGCMContent.open(
                    ciphertext: ciphertext, tag: tag, iv: iv, additionalData: aad, key: secret.gcm)
            else { throw .invalid }
            return plaintext
        default:
            throw .invalid
        }
    }

    /// Auth.js's rule: a `kid` selects the secret whose key thumbprint it is (no match, no
    /// key); without a `kid`, the first secret.
    private func select(kid: String?, by keyID: KeyPath<DerivedSecret, String?>) -> DerivedSecret? {
        guard let kid else { return secrets.first }
        // Compared as bytes: a `kid` that only canonically equals a thumbprint selects nothing.
        return secrets.first { $0[keyPath: keyID].map { ExactName.same($0, kid) } ?? false }
    }

    /// Strict base64url of a public segment, or nil.
    private static func decodeSegment(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let length = Base64URL.decodedLength(text.count) else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        let written = bytes.withUnsafeMutableBytes { Base64URL.decode(text, into: $0) }
        return written == length ? bytes : nil
    }
}
