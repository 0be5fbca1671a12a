import Crypto
public import Foundation
public import SessionToken
import SessionTokenInternals

extension NextAuthCodec {
    /// Encodes a session token that next-auth (v4) or Auth.js (v5) accepts, with the first
    /// secret.
    ///
    /// The token carries `claims` (any `Encodable` that encodes as a JSON object, dates as
    /// seconds since 1970: ``NextAuthClaims``, a dictionary, a type of your own) plus, as
    /// next-auth writes them and replacing any given: `iat` = `now` in whole seconds, `exp` =
    /// `iat` + ``maxAge`` and `jti` = a fresh lowercase UUID v4. The header is
    /// `{"alg":"dir","enc":"A256GCM"}` for v4 and
    /// `{"alg":"dir","enc":"A256CBC-HS512","kid":"<thumbprint>"}` for v5.
    ///
    /// - Parameters:
    ///   - claims: The session's claims, typically `name`, `email`, `picture` and `sub`.
    ///   - now: The current time; inject it in tests.
    /// - Returns: The compact JWE. Split it into cookies with ``NextAuthCookie``.
    /// - Throws: `SessionTokenError.unsealable(_:)` when the claims are not a JSON object
    ///   within the decoding limits, or the token would exceed ``maxTokenLength``.
    public func encode(_ claims: some Encodable, at now: Date = Date()) throws(SessionTokenError) -> String {
        // next-auth's own claims, what a sign-in and the default `jwt` callback write, go
        // straight into the plaintext; any other type through JSONEncoder and the strict parser.
        if let standard = claims as? NextAuthClaims, let token = try encode(standard: standard, at: now) {
            return token
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        guard let data = try? encoder.encode(claims) else {
            throw .unsealable("the claims do not encode as JSON")
        }
        let parsed: JSONValue
        do throws(JSONParser.Failure) {
            parsed = try JSONParser.parse(Array(data), limits: Self.claimsLimits)
        } catch {
            throw .unsealable("the claims must be a JSON object of at most \(Self.claimsLimits.maxMembers) members and depth \(Self.claimsLimits.maxDepth)")
        }
        guard case .object(let members) = parsed else { throw .unsealable("the claims must be a JSON object") }
        return try encode(members: members, at: now, capacity: data.count + 96)
    }

    /// Re-issues a token as next-auth's session endpoint does: every claim the token carries,
    /// the front end's own (`role`, `accessToken`, ...) and `sid` and `auth_time` included, is
    /// kept as it was; only `iat`, `exp` and `jti` are new.
    ///
    /// - Throws: As ``decode(_:at:)`` for the token; `SessionTokenError.invalid` when its
    ///   claims no longer fit ``maxTokenLength``.
    public func reissue(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> String {
        try withVerifiedPayload(token, at: now, picking: []) { _, _, payload throws(SessionTokenError) in
            try reissue(payload: payload, at: now)
        }
    }

    /// ``decode(_:at:)`` and, when `mayReissue` allows for the decoded claims, ``reissue(_:at:)``
    /// from the same decryption: the request path's re-issue. A replacement that cannot be made
    /// (claims that no longer fit) is nil; the token still decoded.
    package func decode(
        _ token: String, at now: Date, mayReissue: (NextAuthClaims) -> Bool
    ) throws(SessionTokenError) -> (claims: NextAuthClaims, replacement: String?) {
        try withVerifiedPayload(token, at: now, picking: Self.profileMembers) { claims, picked, payload in
            let decoded = NextAuthClaims(claims, picked: picked)
            guard mayReissue(decoded) else { return (decoded, nil) }
            return (decoded, try? reissue(payload: payload, at: now))
        }
    }

    /// The re-issue of an authenticated, time-checked payload.
    private func reissue(payload: UnsafeRawBufferPointer, at now: Date) throws(SessionTokenError) -> String {
        do throws(SessionTokenError) {
            // next-auth's own claims (the fast reader's shapes, without a `null` member,
            // which `NextAuthClaims` would leave out) are written again directly: the same
            // bytes the general path writes for them, but the `jti`.
            if !Self.containsNull(payload),
                let read = Self.readFast(payload, picking: Self.profileMembers),
                // (Its `iat`, `exp` and `jti` are written new; the ones read are not used.)
                let token = try encode(standard: NextAuthClaims(read.claims, picked: read.picked), at: now)
            {
                return token
            }
            guard case .object(let members)? = try? JSONParser.parse(payload, limits: Self.claimsLimits) else {
                throw .invalid
            }
            return try encode(members: members, at: now, capacity: payload.count + 96)
        } catch {
            // The claims fitted when the token was written; a smaller limit since ends the session.
            if case .unsealable = error { throw .invalid }
            throw error
        }
    }

    /// Whether the bytes hold `null` anywhere (a `null` member, or those letters in a string):
    /// enough to send a payload to the general path, which keeps `null` members.
    static func containsNull(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard payload.count >= 4 else { return false }
        for i in 0...(payload.count - 4) where payload[i] == UInt8(ascii: "n") {
            if payload[i + 1] == UInt8(ascii: "u"), payload[i + 2] == UInt8(ascii: "l"), payload[i + 3] == UInt8(ascii: "l") {
                return true
            }
        }
        return false
    }

    /// Room for `"exp":N,"iat":N,"jti":"<uuid>"` and braces, beside the other members.
    static let newMembersBytes = 2 * ClaimsBuffer.maxNumberLength + 64

    /// Encodes `members` with a new `iat`, `exp` and `jti`; `capacity` is room for the plaintext
    /// (the claims' own length and 96 bytes for the three members), so that growing the buffer
    /// never leaves an unwiped copy behind.
    private func encode(members: [String: JSONValue], at now: Date, capacity: Int) throws(SessionTokenError) -> String {
        // The text is written first and the scratch sized to it: a member's text may come out
        // longer than it went in (`1e21` is written `1e+21`).
        var text: [UInt8] = []
        defer { ConstantTime.wipe(&text) }
        return try seal(at: now, capacity: { issued in
            var members = members
            members["iat"] = .number(issued.issuedAt)
            members["exp"] = .number(issued.expiresAt)
            members["jti"] = .string(issued.tokenID)
            text.reserveCapacity(capacity + Self.newMembersBytes)
            JSONText.append(.object(members), to: &text)
            return text.count
        }) { claims, _ in
            text.withUnsafeBytes { claims.append(bytes: $0) }
        }
    }

    /// ``NextAuthClaims`` written straight into the plaintext, byte for byte what the general
    /// path writes for them (members in name order, absent ones left out, the same escapes and
    /// numbers); nil for the one case it leaves to that path, an `auth_time` with a fraction
    /// finer than a millisecond or beyond 10^12 seconds.
    private func encode(standard claims: NextAuthClaims, at now: Date) throws(SessionTokenError) -> String? {
        let authTime = claims.authenticatedAt?.timeIntervalSince1970
        if let authTime, !(abs(authTime) < 1e12 && authTime == authTime.rounded()) { return nil }
        func room(_ text: String?) -> Int { text.map { 16 + ClaimsBuffer.escapedLengthBound($0) } ?? 0 }
        let capacity = Self.newMembersBytes + ClaimsBuffer.maxNumberLength + 32 + room(claims.email)
            + room(claims.name) + room(claims.picture) + room(claims.sessionID) + room(claims.subject)
        return try seal(at: now, capacity: { _ in capacity }) { out, issued in
            out.append(byte: UInt8(ascii: "{"))
            if let authTime {
                out.append(member: "\"auth_time\":")
                out.append(number: authTime)
                out.append(byte: UInt8(ascii: ","))
            }
            if let email = claims.email {
                out.append(member: "\"email\":")
                out.append(string: email)
                out.append(byte: UInt8(ascii: ","))
            }
            issued.appendTimes(to: &out)
            if let name = claims.name {
                out.append(member: ",\"name\":")
                out.append(string: name)
            }
            if let picture = claims.picture {
                out.append(member: ",\"picture\":")
                out.append(string: picture)
            }
            if let sid = claims.sessionID {
                out.append(member: ",\"sid\":")
                out.append(string: sid)
            }
            if let sub = claims.subject {
                out.append(member: ",\"sub\":")
                out.append(string: sub)
            }
            out.append(byte: UInt8(ascii: "}"))
        }
    }

    /// What an encoding adds to every token: `iat` (now, in whole seconds), `exp` and `jti` (a
    /// lowercase UUID v4 from the same CSPRNG call as the IV).
    struct Issued {
        let issuedAt: Double
        let expiresAt: Double
        let tokenID: String

        /// `"exp":N,"iat":N,"jti":"..."`, the three in name order (`exp` < `iat` < `jti`).
        func appendTimes(to out: inout ClaimsBuffer) {
            out.append(member: "\"exp\":")
            out.append(number: expiresAt)
            out.append(member: ",\"iat\":")
            out.append(number: issuedAt)
            out.append(member: ",\"jti\":")
            out.append(string: tokenID)
        }
    }

    /// The whole encoding path, top to bottom: one CSPRNG call for the IV and the `jti`, the
    /// claims written by `write` into scratch memory of `capacity` bytes (on the stack for a
    /// token of one cookie; `capacity` must cover what `write` writes), encryption there, and
    /// the token written from it. Everything written to the scratch is zeroed before returning.
    private func seal(
        at now: Date, capacity: (Issued) -> Int, _ write: (inout ClaimsBuffer, Issued) -> Void
    ) throws(SessionTokenError) -> String {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        // 1. Randomness: the IV (12 bytes for GCM, 16 for CBC) then 16 bytes for the jti.
        var random = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &random) { SecureRandom.fill($0) }
        let issued = withUnsafeBytes(of: &random) { bytes in
            Issued(issuedAt: issuedAt, expiresAt: issuedAt + maxAge,
                   tokenID: Self.uuidV4(UnsafeRawBufferPointer(rebasing: bytes[16..<32])))
        }
        let header = encodeHeaderSegment
        // 2. The claims, with room after them for CBC's padding (up to one block) and the MAC.
        let plaintextCapacity = capacity(issued)
        let scratchBytes = plaintextCapacity + 16 + HMACSHA512.outputBytes
        return try StackScratch.with(byteCount: scratchBytes, stackBytes: 2048) { scratch throws(SessionTokenError) -> String in
            var claims = ClaimsBuffer(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<plaintextCapacity]))
            defer { SecretMemory.wipe(scratch) }
            write(&claims, issued)
            let length = claims.count
            let ciphertextLength = format == .v4 ? length : length + 16 - length % 16
            let tokenLength = CompactSegments.length(
                header: header.count, iv: format == .v4 ? AESGCMContent.ivBytes : AESCBCHMACContent.ivBytes,
                ciphertext: ciphertextLength, tag: format == .v4 ? AESGCMContent.tagBytes : AESCBCHMACContent.tagBytes)
            guard tokenLength <= maxTokenLength else {
                throw .unsealable("the token would be \(tokenLength) bytes, over the limit of \(maxTokenLength)")
            }
            let token = withUnsafeBytes(of: &random) { random in
                header.withUnsafeBytes { header in seal(plaintext: length, in: scratch, header: header, random: random) }
            }
            guard let token else { throw .unsealable("encryption failed") }
            return token
        }
    }

    /// 3 and 4: encrypts the `length` bytes of claims at the start of `scratch` and writes the
    /// compact token; nil when the cipher refuses.
    private func seal(
        plaintext length: Int, in scratch: UnsafeMutableRawBufferPointer, header: UnsafeRawBufferPointer,
        random: UnsafeRawBufferPointer
    ) -> String? {
        switch format {
        case .v4:
            // In place, on libsodium's precomputed state where the CPU has AES-NI.
            let iv = UnsafeRawBufferPointer(rebasing: random[0..<AESGCMContent.ivBytes])
            let tag = UnsafeMutableRawBufferPointer(rebasing: scratch[(scratch.count - AESGCMContent.tagBytes)...])
            let ciphertext = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<length])
            guard AESGCMContent.seal(ciphertext, additionalData: header, iv: iv, key: secrets[0].gcm, tag: tag) else {
                return nil
            }
            return CompactSegments.write(header: header, iv: iv, ciphertext: UnsafeRawBufferPointer(ciphertext), tag: UnsafeRawBufferPointer(tag))
        case .v5:
            let iv = UnsafeRawBufferPointer(rebasing: random[0..<AESCBCHMACContent.ivBytes])
            let tag = UnsafeMutableRawBufferPointer(rebasing: scratch[(scratch.count - HMACSHA512.outputBytes)...])
            guard let key = secrets[0].cbc, let absorbed = secrets[0].cbcHeaderMAC,
                let ciphertext = AESCBCHMACContent.seal(
                    plaintext: length, in: scratch, iv: iv, key: key, additionalData: header, absorbed: absorbed, tag: tag)
            else { return nil }
            return ciphertext.withUnsafeBytes { ciphertext in
                CompactSegments.write(header: header, iv: iv, ciphertext: ciphertext,
                                      tag: UnsafeRawBufferPointer(rebasing: tag[0..<AESCBCHMACContent.tagBytes]))
            }
        }
    }

    /// A lowercase UUID v4 (RFC 9562 §5.4) from 16 random bytes: the version and variant bits
    /// set, the rest as they came, in the 8-4-4-4-12 form next-auth's `jti` has.
    static func uuidV4(_ random: UnsafeRawBufferPointer) -> String {
        var bytes = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &bytes) { bytes in
            bytes.copyMemory(from: random)
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
            return String(unsafeUninitializedCapacity: 36) { out in
                let out = UnsafeMutableRawBufferPointer(out)
                // Groups of 4, 2, 2, 2 and 6 bytes; a dash before each group but the first.
                var at = 0, start = 0
                for end in 4...16 where end == 4 || end == 6 || end == 8 || end == 10 || end == 16 {
                    if at > 0 { out[at] = UInt8(ascii: "-"); at += 1 }
                    let digits = 2 * (end - start)
                    SecretMemory.hex(UnsafeRawBufferPointer(rebasing: bytes[start..<end]),
                                     into: UnsafeMutableRawBufferPointer(rebasing: out[at..<(at + digits)]))
                    at += digits
                    start = end
                }
                return 36
            }
        }
    }
}
