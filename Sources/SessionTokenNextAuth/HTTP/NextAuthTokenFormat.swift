import Foundation
import SessionCookies
import SessionToken
public import SessionTokenHTTP

extension SessionTokenFormat {
    /// next-auth's session token (v4 or v5, as the codec says), in next-auth's own cookie unless
    /// the configuration gives a policy: cookies a next-auth front end writes sign users in,
    /// and `RequestSession.signIn(subject:custom:)` writes what it reads.
    ///
    /// Like next-auth's own session endpoint, a token older than the key ring's `updateAge` is
    /// re-encoded with every claim kept and a new `iat`, `exp` and `jti`.
    ///
    /// - Parameter codec: The codec with next-auth's secret.
    public static func nextAuth(_ codec: NextAuthCodec) -> SessionTokenFormat {
        SessionTokenFormat(NextAuthTokenFormat(codec: codec))
    }
}

/// next-auth's format behind `SessionTokenFormat`.
struct NextAuthTokenFormat: TokenFormatImplementation {
    let codec: NextAuthCodec

    var defaultPolicy: CookiePolicy {
        switch codec.format {
        case .v4: .nextAuthV4(secure: true)
        case .v5: .authJSV5(secure: true)
        }
    }

    func maxTokenLength(sealer: SessionSealer) -> Int { codec.maxTokenLength }

    func lifetime(sealer: SessionSealer) -> TimeInterval { codec.maxAge }

    func open(_ token: String, sealer: SessionSealer, at now: Date, mayReissue: (OpenedSession) -> Bool) -> TokenOpening {
        // next-auth's codec reports no reason, and its tokens carry no key ID of ours. One
        // decryption: the replacement is encoded from the claims the decode has just read.
        var opened: OpenedSession?
        let decoded = try? codec.decode(token, at: now) { claims in
            guard let session = OpenedSession(claims) else { return false }
            let due = claims.issuedAt.map { now.timeIntervalSince($0) >= sealer.updateAge } ?? true
            let answer = mayReissue(session) && due
            opened = consume session  // moved in and out, never copied (a large value)
            return answer
        }
        guard let decoded, let session = opened.take() else { return .failed(.invalid) }
        return .opened(session, replacement: decoded.replacement, keyID: nil)
    }

    func seal(subject: String, custom: some Encodable & Sendable, sealer: SessionSealer, at now: Date)
        throws(SessionTokenError) -> (token: String, session: OpenedSession)
    {
        let start = SessionSealer.sessionStart(at: now)
        let token = try codec.encode(
            SignIn(subject: subject, sessionID: SessionSealer.makeSessionID(), authTime: start, custom: custom),
            at: now)
        // next-auth's encoder writes claims it does not report back (`iat`, `exp`, `jti`): the
        // session is read from the token it made.
        guard let session = try OpenedSession(codec.decode(token, at: now)) else {
            throw .unsealable("the session names no subject")
        }
        return (token, session)
    }
}

/// next-auth's claims for a sign-in: `sub`, the new session's `sid` and `auth_time`, and the
/// application's own members at the top level.
private struct SignIn<Custom: Encodable>: Encodable {
    let subject: String
    let sessionID: String
    let authTime: Double
    let custom: Custom

    enum CodingKeys: String, CodingKey {
        case sub, sid
        case authTime = "auth_time"
    }

    func encode(to encoder: any Encoder) throws {
        // An empty custom value (the library's `EmptyClaims`) encodes as an empty object.
        try custom.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject, forKey: .sub)
        try container.encode(sessionID, forKey: .sid)
        try container.encode(authTime, forKey: .authTime)
    }
}
