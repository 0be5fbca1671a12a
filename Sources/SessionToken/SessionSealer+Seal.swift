public import Foundation
import SessionTokenInternals

extension SessionSealer {
    /// Signs a user in: seals a token that starts a new session, under the primary key with the
    /// primary key's encryption (``SessionKey/encryption``), and returns it with the session it
    /// opens as.
    ///
    /// The claims are `sub`, `iat` (now, whole seconds), `exp` (`iat` + ``lifetime``, within
    /// ``absoluteLifetime``), a fresh random session ID `sid` (128 bits), `auth_time` (now, whole
    /// milliseconds), and ``issuer`` and ``audience`` when set. Re-issues (``refresh(_:at:)``)
    /// keep `sid` and `auth_time`. Each call draws a new nonce from libsodium's CSPRNG, so
    /// sealing the same claims twice gives different tokens.
    ///
    /// ```swift
    /// let signedIn = try sealer.seal(subject: "user-42")
    /// response.setCookie(signedIn.token)            // the token to send
    /// let sessionID = signedIn.session.claims.sessionID  // the session it started
    /// ```
    ///
    /// - Parameters:
    ///   - subject: The user ID.
    ///   - now: The current time; inject it in tests.
    /// - Returns: The token and the session it opens as.
    /// - Throws: ``SessionTokenError/unsealable(_:)`` when the token would exceed
    ///   ``maxTokenLength``.
    public func seal(subject: String, at now: Date = Date()) throws(SessionTokenError) -> SealedSession {
        try seal(subject: subject, customMembers: nil, at: now)
    }

    /// Signs a user in with custom claims, encoded with `JSONEncoder` (dates as seconds since
    /// 1970) and written beside the registered claims; otherwise as ``seal(subject:at:)``.
    ///
    /// - Parameters:
    ///   - subject: The user ID.
    ///   - custom: A value that encodes as a JSON object whose member names are not registered
    ///     claim names (``SessionClaims/registeredNames``). Read it back with
    ///     ``open(_:decoding:at:)``.
    ///   - now: The current time; inject it in tests.
    /// - Returns: The token and the session it opens as.
    /// - Throws: ``SessionTokenError/unsealable(_:)`` when `custom` does not encode as such an
    ///   object or the token would exceed ``maxTokenLength``.
    public func seal(subject: String, custom: some Encodable, at now: Date = Date()) throws(SessionTokenError)
        -> SealedSession
    {
        try seal(subject: subject, customMembers: Self.customMembers(encoding: custom), at: now)
    }

    /// `custom` encoded with `JSONEncoder` (dates as seconds since 1970), as its members.
    static func customMembers(encoding custom: some Encodable) throws(SessionTokenError) -> ArraySlice<UInt8> {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        guard let json = try? encoder.encode(custom) else {
            throw .unsealable("custom claims do not encode as JSON")
        }
        return try customMembers(Array(json))
    }

    /// The members of a custom-claims object without its braces, after checking that it is
    /// an object that fits the claims limits and uses no registered name.
    static func customMembers(_ json: [UInt8]) throws(SessionTokenError) -> ArraySlice<UInt8> {
        guard case .object(let members)? = try? JSONParser.parse(json, limits: JSONLimits(maxDepth: 15, maxMembers: 240))
        else { throw .unsealable("custom claims must encode as a JSON object within the claims limits") }
        if let clash = members.keys.first(where: SessionClaims.registeredNames.contains) {
            throw .unsealable("custom claim \(clash.debugDescription) is a registered claim name")
        }
        guard let open = json.firstIndex(of: UInt8(ascii: "{")),
            let close = json.lastIndex(of: UInt8(ascii: "}"))
        else { throw .unsealable("custom claims must encode as a JSON object") }
        let inner = json[(open + 1)..<close]
        return inner.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } ? [] : inner
    }

    /// The session a re-issued token continues: its ID and sign-in time, copied unchanged.
    package struct Continuation {
        let sessionID: String
        let authTime: Double

        package init(sessionID: String, authTime: Double) {
            self.sessionID = sessionID
            self.authTime = authTime
        }
    }

    /// `iat`, `exp` and `auth_time` for a token sealed at `now`, for a session that began at
    /// `sessionStart` (now when nil): `iat` and `exp` in whole seconds, `exp` within the
    /// absolute lifetime; a new session's `auth_time` in whole milliseconds.
    private func times(at now: Date, sessionStart: Double?) throws(SessionTokenError)
        -> (issuedAt: Double, expiresAt: Double, sessionStart: Double)
    {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        guard issuedAt.isFinite else { throw .unsealable("the current time is not a finite date") }
        // A user's revocation cuts off sessions that began before its time. In whole seconds a
        // sign-in in the same second as "sign out everywhere", after it, would read as before it
        // and be refused; in milliseconds only a sign-in in the same millisecond is.
        let sessionStart = sessionStart ?? Self.sessionStart(at: now)
        guard sessionStart.isFinite else { throw .invalid }
        var expiresAt = issuedAt + lifetime
        if let absoluteLifetime {
            // Never past the absolute limit: re-issues slide `exp` up to it, not beyond.
            expiresAt = min(expiresAt, (sessionStart + absoluteLifetime).rounded(.down))
            guard expiresAt > issuedAt else { throw .expired }
        }
        return (issuedAt, expiresAt, sessionStart)
    }

    /// A new session's `auth_time` for a sign-in at `now`: seconds since 1970, rounded down to
    /// whole milliseconds (never before `iat`, which is rounded down to whole seconds).
    package static func sessionStart(at now: Date) -> Double {
        (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000
    }

    /// A new session for `subject` with `customMembers`, and the session its token opens as,
    /// made from the claims sealed: the token is not opened again.
    private func seal(subject: String, customMembers: ArraySlice<UInt8>?, at now: Date)
        throws(SessionTokenError) -> SealedSession
    {
        let sealed = try seal(subject: subject, customMembers: customMembers, at: now, continuing: nil)
        let claims = SessionClaims.read(
            subject: subject, issuedAt: Date(timeIntervalSince1970: sealed.issuedAt),
            expiresAt: Date(timeIntervalSince1970: sealed.expiresAt), sessionID: sealed.sessionID,
            authenticatedAt: Date(timeIntervalSince1970: sealed.sessionStart), issuer: issuer, audience: audience)
        let session = VerifiedSession(
            claims: claims, keyID: purposeKeys.entries[0].key.id, isPrimaryKey: true, needsReissue: false)
        return SealedSession(token: sealed.token, session: session)
    }

    /// A sealed token and the claims sealing chose for it: its times and a new session's `sid`
    /// (read from the claims as written; absent for a re-issue, which keeps its session's).
    package struct Sealed {
        package let token: String
        package let issuedAt: Double
        package let expiresAt: Double
        package let sessionStart: Double
        let sessionID: InlineText
    }

    /// Seals the registered claims and `customMembers` (JSON member text without braces), for a
    /// new session, or for the session `continuing` names (a re-issue, or a device-bound
    /// session's cookie, whose members begin with `"dbsc":1`).
    package func seal(
        subject: String, customMembers: ArraySlice<UInt8>?, at now: Date, continuing: Continuation?
    ) throws(SessionTokenError) -> Sealed {
        let (issuedAt, expiresAt, sessionStart) = try times(at: now, sessionStart: continuing?.authTime)

        // One CSPRNG call for both the nonce and a new session's ID: bytes 0..<24 hold the nonce
        // (an A256GCM key uses the first 12), bytes 24..<40 the `sid`.
        var random = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 40 bytes
        withUnsafeMutableBytes(of: &random) { Sodium.randomBytes($0) }

        // The claims are written into one scratch buffer (on the stack when small), `{` first,
        // a new `sid` encoded in place: the token String is the only allocation. The bound is
        // generous (see `escapedLengthBound`); the exact length is known after writing.
        let subjectLength = ClaimsBuffer.escapedLengthBound(subject)
        let issuerLength = issuer.map(ClaimsBuffer.escapedLengthBound) ?? 0
        let audienceLength = audience.map(ClaimsBuffer.escapedLengthBound) ?? 0
        let customLength = customMembers?.count ?? 0
        let sessionIDLength = continuing.map { ClaimsBuffer.escapedLengthBound($0.sessionID) } ?? 0
        let bound = subjectLength + issuerLength + audienceLength + customLength + sessionIDLength
            + 3 * ClaimsBuffer.maxNumberLength + ClaimsBuffer.fixedOverhead
        let (token, sessionID) = try StackScratch.with(byteCount: bound) {
            buffer throws(SessionTokenError) -> (String, InlineText) in
            try sealClaims(
                into: buffer, subject: subject, issuedAt: issuedAt, expiresAt: expiresAt, sessionStart: sessionStart,
                sessionID: continuing?.sessionID, random: random, customMembers: customMembers)
        }
        return Sealed(
            token: token, issuedAt: issuedAt, expiresAt: expiresAt, sessionStart: sessionStart, sessionID: sessionID)
    }

    /// Writes the claims into `buffer` (zeroed afterwards), encrypts them in place under the
    /// primary key and assembles the token.
    @inline(__always)
    private func sealClaims(
        into buffer: UnsafeMutableRawBufferPointer, subject: String, issuedAt: Double, expiresAt: Double,
        sessionStart: Double, sessionID: String?, random: (UInt64, UInt64, UInt64, UInt64, UInt64),
        customMembers: ArraySlice<UInt8>?
    ) throws(SessionTokenError) -> (token: String, newSessionID: InlineText) {
        var random = random
        var claims = ClaimsBuffer(buffer)
        defer { Sodium.zero(buffer) }
        claims.append(byte: UInt8(ascii: "{"))
        claims.append(member: "\"sub\":")
        claims.append(string: subject)
        claims.append(member: ",\"iat\":")
        claims.append(number: issuedAt)
        claims.append(member: ",\"exp\":")
        claims.append(number: expiresAt)
        claims.append(member: ",\"sid\":")
        var newSessionID = InlineText.none
        if let sessionID {
            claims.append(string: sessionID)
        } else {
            let quote = claims.count
            withUnsafeBytes(of: &random) { bytes in
                claims.append(base64URLString: UnsafeRawBufferPointer(rebasing: bytes[XChaCha20Poly1305.nonceBytes...]))
            }
            // Read back while it is plaintext: the 22 base64url characters between the quotes.
            newSessionID = InlineText(validUTF8: UnsafeRawBufferPointer(rebasing: buffer[(quote + 1)..<(claims.count - 1)])) ?? .none
        }
        claims.append(member: ",\"auth_time\":")
        claims.append(number: sessionStart)
        if let issuer {
            claims.append(member: ",\"iss\":")
            claims.append(string: issuer)
        }
        if let audience {
            claims.append(member: ",\"aud\":")
            claims.append(string: audience)
        }
        if let customMembers, !customMembers.isEmpty {
            claims.append(byte: UInt8(ascii: ","))
            customMembers.withUnsafeBytes { claims.append(bytes: $0) }
        }
        claims.append(byte: UInt8(ascii: "}"))
        let claimsCount = claims.count

        // The primary's fields are read in place (a copy of the entry would retain each).
        let encryption = purposeKeys.entries[0].key.encryption
        let nonceBytes = encryption.nonceBytes
        let length = CompactSegments.length(
            header: purposeKeys.headerIndex.segments[0].count, iv: nonceBytes, ciphertext: claimsCount,
            tag: TokenEncryption.tagBytes)
        guard length <= maxTokenLength else {
            throw .unsealable("the token would be \(length) bytes, over maxTokenLength \(maxTokenLength)")
        }

        // The key: the primary's bytes, or its precomputed AES-GCM state (always made with
        // an A256GCM key, which is refused otherwise).
        let keyBytes: UnsafeRawBufferPointer
        switch encryption {
        case .xchacha20Poly1305:
            keyBytes = UnsafeRawBufferPointer(start: purposeKeys.entries[0].key.secret.address, count: XChaCha20Poly1305.keyBytes)
        case .aes256GCM:
            guard let state = purposeKeys.entries[0].key.aesGCMState else { throw .unsealable("the primary key has no AES-GCM state") }
            keyBytes = UnsafeRawBufferPointer(start: state.address, count: state.count)
        }

        var tagBytes = (UInt64(0), UInt64(0))
        let token = withUnsafeBytes(of: &random) { random in
            let nonce = UnsafeRawBufferPointer(rebasing: random[0..<nonceBytes])
            // Encrypted in place (libsodium allows it).
            let ciphertext = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<claimsCount])
            return withUnsafeMutableBytes(of: &tagBytes) { tag in
                // The header is read in place: also the AAD.
                purposeKeys.headerIndex.segments[0].withUnsafeBytes { header in
                    switch encryption {
                    case .xchacha20Poly1305:
                        XChaCha20Poly1305.seal(
                            plaintext: UnsafeRawBufferPointer(ciphertext), additionalData: header, nonce: nonce,
                            key: keyBytes, ciphertext: ciphertext, tag: tag)
                    case .aes256GCM:
                        AES256GCM.seal(
                            plaintext: UnsafeRawBufferPointer(ciphertext), additionalData: header, nonce: nonce,
                            state: keyBytes, ciphertext: ciphertext, tag: tag)
                    }
                    return CompactSegments.write(
                        header: header, iv: nonce, ciphertext: UnsafeRawBufferPointer(ciphertext),
                        tag: UnsafeRawBufferPointer(tag))
                }
            }
        }
        return (token, newSessionID)
    }
}
