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
            guard case .object(let members)? = try? JSONParser.parse(payload, limits: Self.claimsLimits) else {
                throw .invalid
            }
            do throws(SessionTokenError) {
                return try encode(members: members, at: now, capacity: payload.count + 96)
            } catch {
                // The claims fitted when the token was written; a smaller limit since ends the session.
                if case .unsealable = error { throw .invalid }
                throw error
            }
        }
    }

    /// Encodes `members` with a new `iat`, `exp` and `jti`; `capacity` is room for the plaintext
    /// (the claims' own length and 96 bytes for the three members), so that growing the buffer
    /// never leaves an unwiped copy behind.
    private func encode(members: [String: JSONValue], at now: Date, capacity: Int) throws(SessionTokenError) -> String {
        var members = members
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        members["iat"] = .number(issuedAt)
        members["exp"] = .number(issuedAt + maxAge)
        members["jti"] = .string(UUID().uuidString.lowercased())
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(capacity)
        JSONText.append(.object(members), to: &plaintext)
        defer { ConstantTime.wipe(&plaintext) }

        let header = encodeHeaderSegment
        let sealed: (iv: Data, ciphertext: Data, tag: Data)
        do {
            switch format {
            case .v4:
                sealed = try AESGCMContent.seal(plaintext, additionalData: header, key: secrets[0].gcm)
            case .v5:
                guard let key = secrets[0].cbc else { throw SessionTokenError.unsealable("no encryption key") }
                sealed = try AESCBCHMACContent.seal(plaintext, additionalData: header, key: key)
            }
        } catch {
            throw .unsealable("encryption failed")
        }
        let length = CompactSegments.length(
            header: header.count, iv: sealed.iv.count, ciphertext: sealed.ciphertext.count, tag: sealed.tag.count)
        guard length <= maxTokenLength else {
            throw .unsealable("the token would be \(length) bytes, over the limit of \(maxTokenLength)")
        }
        return header.withUnsafeBytes { header in
            sealed.iv.withUnsafeBytes { iv in
                sealed.ciphertext.withUnsafeBytes { ciphertext in
                    sealed.tag.withUnsafeBytes { CompactSegments.write(header: header, iv: iv, ciphertext: ciphertext, tag: $0) }
                }
            }
        }
    }
}
