public import Foundation
import SessionTokenInternals

extension SessionSealer {
    /// Opens a token: checks its form, authenticates it with the key its `kid` names, then
    /// checks its claims and times.
    ///
    /// - Parameters:
    ///   - token: The compact JWE, as sent.
    ///   - now: The current time; inject it in tests.
    /// - Returns: The verified claims and the ID of the key that opened the token.
    /// - Throws: ``SessionTokenError/invalid`` for any token that is malformed or fails to
    ///   authenticate, and ``SessionTokenError/expired`` or ``SessionTokenError/notYetValid``
    ///   only for a token that authenticated.
    public func open(_ token: String, at now: Date = Date()) throws(SessionTokenError) -> VerifiedSession {
        try withOpenedToken(token, at: now) { session, _ throws(SessionTokenError) in session }
    }

    /// Opens a token and also decodes its claims as `Custom` with `JSONDecoder` (dates as
    /// seconds since 1970, as JWT does).
    ///
    /// - Throws: As ``open(_:at:)``; also ``SessionTokenError/invalid`` when the authenticated
    ///   claims do not decode as `Custom`.
    public func open<Custom: Decodable>(
        _ token: String, decoding type: Custom.Type, at now: Date = Date()
    ) throws(SessionTokenError) -> (session: VerifiedSession, custom: Custom) {
        try withOpenedToken(token, at: now) { session, payload throws(SessionTokenError) in
            guard let custom = ClaimsDecoding.decode(Custom.self, from: payload) else { throw .invalid }
            return (session, custom)
        }
    }

    /// The whole opening path, top to bottom. `body` sees the verified session and the
    /// plaintext claims, which are zeroed when it returns.
    ///
    /// Inlined into each caller, so that `open` returns the session straight from the path:
    /// no closure context, no boxed error and no copy of the result through a `Result`.
    @inline(__always)
    package func withOpenedToken<R>(
        _ token: String, at now: Date,
        _ body: (consuming VerifiedSession, UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        // 1. Length, before looking at a single byte.
        guard token.utf8.count <= maxTokenLength else { throw .invalid }
        // A native String is already contiguous UTF-8 and is read in place (no copy, no
        // retain: threads opening one shared token write nothing shared); a bridged one is
        // copied once first. The span gives the bytes with typed throws all the way through.
        guard token.isContiguousUTF8 else {
            var copy = token
            copy.makeContiguousUTF8()
            return try withOpenedToken(copy, at: now, body)
        }
        return try token.utf8Span.span.withUnsafeBytes { bytes throws(SessionTokenError) -> R in
            try withScratch(bytes, at: now, body)
        }
    }

    /// Steps 2 to 9 with scratch room for the decoded parts, which are zeroed afterwards.
    @inline(__always)
    private func withScratch<R>(
        _ token: UnsafeRawBufferPointer, at now: Date,
        _ body: (consuming VerifiedSession, UnsafeRawBufferPointer) throws(SessionTokenError) -> R
    ) throws(SessionTokenError) -> R {
        // Every decoded part of the token (nonce, tag, claims) is shorter than its text, so
        // scratch room of the token's length holds them all (on the stack for any session).
        try StackScratch.with(byteCount: token.count + 16) { scratch throws(SessionTokenError) -> R in
            var payloadCount = 0
            // Whatever was decrypted is zeroed, whether opening succeeded or not.
            defer { Sodium.zero(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<payloadCount])) }
            let session = try openBytes(token, at: now, scratch: scratch, payloadCount: &payloadCount)
            return try body(consume session, UnsafeRawBufferPointer(rebasing: scratch[0..<payloadCount]))
        }
    }

    /// Steps 2 to 9 on the token's bytes. The claims are decrypted into the start of `scratch`;
    /// `payloadCount` is set to their length before any byte is written there.
    @inline(__always)
    private func openBytes(
        _ token: UnsafeRawBufferPointer, at now: Date, scratch: UnsafeMutableRawBufferPointer,
        payloadCount: inout Int
    ) throws(SessionTokenError) -> VerifiedSession {
        // 2. Five segments, the second (the encrypted key, which `dir` leaves out) empty, the
        //    nonce and tag of their fixed lengths: the dots are looked for only where they
        //    must be (any other dot is refused by the base64url decoder below). The XC20P shape
        //    (32-character nonce) first; the A256GCM shape (16 characters) only when the ring
        //    holds such a key. A well-formed token fits exactly one shape, and the shape must
        //    match the key the header names (step 4), so trying both never accepts more.
        let tagLength = Base64URL.encodedLength(TokenEncryption.tagBytes)
        guard
            let segments = CompactSegments(
                xc20p: token, maxHeaderLength: ProtectedHeader.maxSegmentLength,
                nonceLength: Base64URL.encodedLength(XChaCha20Poly1305.nonceBytes), tagLength: tagLength)
                ?? (purposeKeys.hasAESGCMKey
                    ? CompactSegments(
                        xc20p: token, maxHeaderLength: ProtectedHeader.maxSegmentLength,
                        nonceLength: Base64URL.encodedLength(AES256GCM.nonceBytes), tagLength: tagLength)
                    : nil),
            segments.encryptedKey.isEmpty
        else { throw .invalid }
        let header = segments.header
        let nonceText = segments.iv
        let ciphertextText = segments.ciphertext
        let tagText = segments.tag

        // 3. The key: the header this library writes is found by its bytes (each key's canonical
        //    header carries its own `enc`); any other header is parsed in full, must name a key
        //    of the ring and carry that key's `enc`. Never a trial of several keys, and never a
        //    key under an encryption other than its own.
        let entryIndex: Int
        if let hit = purposeKeys.headerIndex.lookup(header) {
            entryIndex = hit
        } else {
            // A header in this library's own form that missed the index is refused at once;
            // only another writer's form (member order, white space, more members) is parsed.
            guard !ProtectedHeader.isCanonicalForm(segment: header),
                let parsed = ProtectedHeader.parse(segment: header),
                let kid = parsed.kid, let index = purposeKeys.index(ofID: kid),
                parsed.enc == purposeKeys.entries[index].key.encryption.name
            else { throw .invalid }
            entryIndex = index
        }
        let encryption = purposeKeys.entries[entryIndex].key.encryption

        // 4. Nonce and tag of exactly the key's sizes; the ciphertext as long as the payload.
        guard nonceText.count == encryption.nonceTextLength,
            tagText.count == tagLength,
            let ciphertextLength = Base64URL.decodedLength(ciphertextText.count)
        else { throw .invalid }

        // The claims first (so that the caller finds them at the start of `scratch`), then
        // the nonce and the tag.
        let nonceBytes = encryption.nonceBytes
        guard scratch.count >= ciphertextLength + nonceBytes + TokenEncryption.tagBytes else { throw .invalid }
        let payload = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<ciphertextLength])
        let nonce = UnsafeMutableRawBufferPointer(
            rebasing: scratch[ciphertextLength..<(ciphertextLength + nonceBytes)])
        let tag = UnsafeMutableRawBufferPointer(
            rebasing: scratch[(ciphertextLength + nonceBytes)..<(ciphertextLength + nonceBytes + TokenEncryption.tagBytes)])
        payloadCount = ciphertextLength
        guard Base64URL.decode(nonceText, into: nonce) == nonceBytes,
            Base64URL.decode(tagText, into: tag) == TokenEncryption.tagBytes,
            Base64URL.decode(ciphertextText, into: payload) == ciphertextLength
        else { throw .invalid }

        // 5. Authenticate, then decrypt in place; the AAD is the header segment as sent.
        // The key is read in place from the ring through its address (no copy of the entry,
        // no retain of shared storage).
        let authentic: Bool
        switch encryption {
        case .xchacha20Poly1305:
            authentic = XChaCha20Poly1305.open(
                ciphertext: UnsafeRawBufferPointer(payload), tag: UnsafeRawBufferPointer(tag),
                additionalData: header, nonce: UnsafeRawBufferPointer(nonce),
                key: UnsafeRawBufferPointer(start: purposeKeys.entries[entryIndex].key.secret.address, count: XChaCha20Poly1305.keyBytes),
                plaintext: payload)
        case .aes256GCM:
            guard let state = purposeKeys.entries[entryIndex].key.aesGCMState else { throw .invalid }
            authentic = AES256GCM.open(
                ciphertext: UnsafeRawBufferPointer(payload), tag: UnsafeRawBufferPointer(tag),
                additionalData: header, nonce: UnsafeRawBufferPointer(nonce),
                state: UnsafeRawBufferPointer(start: state.address, count: state.count), plaintext: payload)
        }
        guard authentic else { throw .invalid }

        // 6. Only now read the claims: a JSON object with a numeric `exp`.
        let claims: SessionClaims
        do throws(ClaimsReader.Failure) {
            claims = try ClaimsReader.read(UnsafeRawBufferPointer(payload), limits: claimsLimits)
        } catch {
            throw .invalid
        }

        // 7. Issuer and audience, when configured.
        if let issuer, claims.issuer != issuer { throw .invalid }
        if let audience, !claims.audience.contains(audience) { throw .invalid }

        // 8. Times, against the injected clock with the leeway.
        let t = now.timeIntervalSince1970
        try claims.checkTimes(at: t, leeway: leeway)
        if let absoluteLifetime {
            // The absolute limit counts from the first sign-in; a token that cannot say when
            // that was cannot be held to the limit, so it is refused.
            guard let start = claims.authenticatedAt ?? claims.issuedAt else { throw .invalid }
            guard t < start.timeIntervalSince1970 + absoluteLifetime + leeway else { throw .expired }
        }

        // 9. What the caller should do next: re-issue under the primary, or when it is old. A
        //    device-bound token never: a re-issue would be a bearer token for the same session,
        //    and only a refresh signed by the device's key may replace it.
        let isPrimary = entryIndex == 0
        let age = claims.issuedAt.map { t - $0.timeIntervalSince1970 } ?? .infinity
        let due = (!isPrimary || age >= updateAge) && !claims.isDeviceBound
        return VerifiedSession(
            claims: consume claims, keyID: purposeKeys.entries[entryIndex].key.id, isPrimaryKey: isPrimary,
            needsReissue: due)
    }
}
