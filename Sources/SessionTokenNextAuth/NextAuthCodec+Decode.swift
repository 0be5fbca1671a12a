public import Foundation
public import SessionToken
import SessionTokenInternals

extension NextAuthCodec {
    /// Decodes a session token into next-auth's standard claims.
    ///
    /// - Parameters:
    ///   - token: The compact JWE: the cookie's value, reassembled from its chunks.
    ///   - now: The current time; inject it in tests.
    /// - Throws: `SessionTokenError.invalid` for any token that is too long, malformed, names
    ///   an unknown key or fails to authenticate, or whose claims are unusable (no numeric
    ///   `exp`, a member of the wrong type); `SessionTokenError.expired` and
    ///   `SessionTokenError.notYetValid` only for a token that authenticated.
    public func decode(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> NextAuthClaims {
        try withVerifiedPayload(token, at: now, picking: Self.profileMembers) { claims, picked, _ in
            NextAuthClaims(claims, picked: picked)
        }
    }

    /// Decodes a session token's claims as `Custom` with `JSONDecoder` (dates as seconds since
    /// 1970), for the members an app's `jwt` callback adds.
    ///
    /// - Throws: As ``decode(_:at:)``; also `SessionTokenError.invalid` when the authenticated
    ///   claims do not decode as `Custom`.
    public func decode<Custom: Decodable>(
        _ token: String, as type: Custom.Type, at now: Date = Date()
    ) throws(SessionTokenError) -> Custom {
        try withVerifiedPayload(token, at: now, picking: []) { _, _, payload throws(SessionTokenError) in
            guard let value = ClaimsDecoding.decode(Custom.self, from: payload) else { throw .invalid }
            return value
        }
    }

    /// The members of ``NextAuthClaims`` that are not registered claims, read beside them by
    /// the core's claims reader: each a string or `null`.
    static let profileMembers: [StaticString] = ["name", "email", "picture"]

    /// ``ClaimsReader/readFastNextAuth(_:limits:)`` for `names` that are none or
    /// ``profileMembers`` (what it picks); nil otherwise, and whenever it leaves the payload to
    /// the strict reader.
    static func readFast(_ payload: UnsafeRawBufferPointer, picking names: [StaticString]) -> (claims: SessionClaims, picked: [String?])? {
        guard names.isEmpty || names.count == profileMembers.count
            && zip(names, profileMembers).allSatisfy({ $0.utf8CodeUnitCount == $1.utf8CodeUnitCount
                && memcmp($0.utf8Start, $1.utf8Start, $0.utf8CodeUnitCount) == 0 }),
            let fast = ClaimsReader.readFastNextAuth(payload, limits: claimsLimits)
        else { return nil }
        return names.isEmpty ? (fast.claims, []) : fast
    }

    /// Claims may carry more than the core's own tokens: an app's `jwt` callback adds members.
    static let claimsLimits = JSONLimits(maxDepth: 16, maxMembers: 1024)

    /// Scratch room for a token of `length` bytes: its ciphertext twice (as sent, and decrypted
    /// beside it: v4 may try several secrets, and a failed try zeroes its output), then the IV
    /// and the tag.
    static func scratchByteCount(forTokenLength length: Int) -> Int {
        (length + 3) / 4 * 3 * 2 + AESCBCHMACContent.ivBytes + AESCBCHMACContent.tagBytes
    }

    /// The whole decoding path, top to bottom. `body` sees the authenticated, time-checked
    /// claims, the picked members and the claims JSON in scratch memory that is zeroed when it
    /// returns.
    func withVerifiedPayload<R>(
        _ token: String, at now: Date, picking names: [StaticString],
        _ body: (SessionClaims, [String?], UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        // 1. Length, before looking at a single byte.
        guard token.utf8.count <= maxTokenLength else { throw .invalid }
        var token = token
        token.makeContiguousUTF8()
        return try token.utf8Span.span.withUnsafeBytes { bytes throws(SessionTokenError) -> R in
            // On the stack for any token of a single cookie's worth of claims.
            try StackScratch.with(byteCount: Self.scratchByteCount(forTokenLength: bytes.count), stackBytes: 2048) {
                scratch throws(SessionTokenError) -> R in
                try withVerifiedPayload(bytes, at: now, scratch: scratch, picking: names, body)
            }
        }
    }

    /// Steps 2 to 6 in `scratch` (which the tests supply to check the wipe; at least
    /// ``scratchByteCount(forTokenLength:)``): the claims are decrypted into its start, and
    /// everything written there is zeroed when `body` returns or anything throws.
    func withVerifiedPayload<R>(
        _ token: UnsafeRawBufferPointer, at now: Date, scratch: UnsafeMutableRawBufferPointer, picking names: [StaticString],
        _ body: (SessionClaims, [String?], UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        var used = 0
        defer { SecretMemory.wipe(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<used])) }
        let count = try authenticate(token, scratch: scratch, used: &used)
        let payload = UnsafeRawBufferPointer(rebasing: scratch[0..<count])

        // 5. Only now read the claims: strict JSON, one object, unique names, a numeric `exp`,
        //    by the core's claims reader.
        //    The shapes next-auth and this codec write are read by a fast path first, which
        //    hands anything else to the strict reader and never refuses by itself.
        let read: (claims: SessionClaims, picked: [String?])
        if let fast = Self.readFast(payload, picking: names) {
            read = fast
        } else {
            do throws(ClaimsReader.Failure) {
                read = try ClaimsReader.read(payload, limits: Self.claimsLimits, picking: names)
            } catch {
                throw .invalid
            }
        }

        // 6. Times, with next-auth's tolerance, by the core's one time check; and a lifetime of
        //    at most `maxAge`: what this service keeps revocations for (a front end set to a
        //    longer `maxAge` would write tokens that outlive their revocation).
        let t = now.timeIntervalSince1970
        try read.claims.checkTimes(at: t, leeway: clockTolerance)
        let start = read.claims.issuedAt?.timeIntervalSince1970 ?? t
        guard read.claims.expiresAt.timeIntervalSince1970 - start <= maxAge + clockTolerance else { throw .invalid }

        return try body(read.claims, read.picked, payload)
    }

    /// Steps 2 to 4: form, header, key, decryption into the start of `scratch`. Returns the
    /// plaintext's length or throws `invalid`; `used` covers every byte written before then.
    private func authenticate(
        _ token: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer, used: inout Int
    ) throws(SessionTokenError) -> Int {
        // 2. Five segments, the second (the encrypted key, which `dir` leaves out) empty. The
        //    shapes next-auth writes are split without a scan of every byte; any other token
        //    by the scan (and then held to the same checks).
        guard let segments = knownShape(token) ?? CompactSegments(token), segments.encryptedKey.isEmpty
        else { throw .invalid }

        // 3. The encryption and the secrets to try. The header next-auth writes is recognised
        //    by its bytes; any other is parsed (canonical base64url of a JSON object with unique
        //    members, `alg` `dir`, no `zip`, no `crit`) and its `enc` and `kid` decide.
        let cbc: Bool
        let candidates: Range<Int>
        // v5 with the header Auth.js writes: the MAC starts from the state that absorbed it.
        var absorbed: SecretBytes?
        if let index = recognisedHeader(segments.header) {
            cbc = format != .v4
            candidates = format == .v4 ? secrets.indices : index..<(index + 1)
            absorbed = secrets[index].cbcHeaderMAC
        } else {
            guard let header = ProtectedHeader.parse(segment: segments.header) else { throw .invalid }
            switch (format, header.enc) {
            case (.v4, "A256GCM"):
                // next-auth v4 writes no `kid` and jose ignores one: each secret in order.
                (cbc, candidates) = (false, secrets.indices)
            case (.v5, "A256CBC-HS512"):
                guard let index = select(kid: header.kid, by: \.cbcKeyID) else { throw .invalid }
                (cbc, candidates) = (true, index..<(index + 1))
            case (.v5, "A256GCM"):
                guard let index = select(kid: header.kid, by: \.gcmKeyID) else { throw .invalid }
                (cbc, candidates) = (false, index..<(index + 1))
            default:
                throw .invalid
            }
        }

        // 4. IV and tag of exactly the encryption's sizes, then the three decoded into the
        //    scratch after the room for the plaintext, each canonical base64url.
        let ivBytes = cbc ? AESCBCHMACContent.ivBytes : AESGCMContent.ivBytes
        let tagBytes = cbc ? AESCBCHMACContent.tagBytes : AESGCMContent.tagBytes
        guard segments.iv.count == Base64URL.encodedLength(ivBytes),
            segments.tag.count == Base64URL.encodedLength(tagBytes),
            let length = Base64URL.decodedLength(segments.ciphertext.count),
            scratch.count >= 2 * length + ivBytes + tagBytes
        else { throw .invalid }
        used = 2 * length + ivBytes + tagBytes
        let plaintext = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<length])
        let ciphertext = UnsafeMutableRawBufferPointer(rebasing: scratch[length..<(2 * length)])
        let iv = UnsafeMutableRawBufferPointer(rebasing: scratch[(2 * length)..<(2 * length + ivBytes)])
        let tag = UnsafeMutableRawBufferPointer(rebasing: scratch[(2 * length + ivBytes)..<used])
        guard Base64URL.decode(segments.iv, into: iv) == ivBytes,
            Base64URL.decode(segments.tag, into: tag) == tagBytes,
            Base64URL.decode(segments.ciphertext, into: ciphertext) == length
        else { throw .invalid }

        // 5. Authenticated decryption; the AAD is the header segment as sent.
        for index in candidates {
            if cbc {
                if let key = secrets[index].cbc,
                    let count = AESCBCHMACContent.open(
                        ciphertext: UnsafeRawBufferPointer(ciphertext), tag: UnsafeRawBufferPointer(tag),
                        iv: UnsafeRawBufferPointer(iv), additionalData: segments.header, key: key, absorbed: absorbed,
                        into: plaintext)
                {
                    return count
                }
            } else if AESGCMContent.open(
                ciphertext: UnsafeRawBufferPointer(ciphertext), tag: UnsafeRawBufferPointer(tag),
                iv: UnsafeRawBufferPointer(iv), additionalData: segments.header, key: secrets[index].gcm,
                into: plaintext)
            {
                return length
            }
        }
        throw .invalid
    }

    /// The split of a token of the shape next-auth writes: v4's A256GCM (a 16-character IV and
    /// a 22-character tag), v5's A256CBC-HS512 (22 and 43) or A256GCM. It finds the dots only
    /// where they must be; a dot elsewhere is refused by the base64url decoder, so a token it
    /// splits ends as the scan's split would (see `CompactSegments.init(xc20p:...)`).
    private func knownShape(_ token: UnsafeRawBufferPointer) -> CompactSegments? {
        let maxHeader = ProtectedHeader.maxSegmentLength
        let gcm = (iv: Base64URL.encodedLength(AESGCMContent.ivBytes), tag: Base64URL.encodedLength(AESGCMContent.tagBytes))
        if format != .v4 {
            let cbc = (iv: Base64URL.encodedLength(AESCBCHMACContent.ivBytes), tag: Base64URL.encodedLength(AESCBCHMACContent.tagBytes))
            if let split = CompactSegments(xc20p: token, maxHeaderLength: maxHeader, nonceLength: cbc.iv, tagLength: cbc.tag) {
                return split
            }
        }
        return CompactSegments(xc20p: token, maxHeaderLength: maxHeader, nonceLength: gcm.iv, tagLength: gcm.tag)
    }

    /// The index of the secret whose header segment is exactly `header` (v4: the first, as all
    /// share one header), or nil. Headers are public: a plain `memcmp`.
    private func recognisedHeader(_ header: UnsafeRawBufferPointer) -> Int? {
        guard let base = header.baseAddress else { return nil }
        return secrets.firstIndex { secret in
            secret.headerSegment.count == header.count
                && secret.headerSegment.withUnsafeBytes { own in
                    own.baseAddress.map { memcmp($0, base, header.count) == 0 } ?? false
                }
        }
    }

    /// Auth.js's rule: a `kid` selects the secret whose key thumbprint it is (no match, no
    /// key); without a `kid`, the first secret.
    private func select(kid: String?, by keyID: KeyPath<DerivedSecret, String?>) -> Int? {
        guard let kid else { return secrets.startIndex }
        // Compared as bytes: a `kid` that only canonically equals a thumbprint selects nothing.
        return secrets.firstIndex { $0[keyPath: keyID].map { ExactName.same($0, kid) } ?? false }
    }
}
