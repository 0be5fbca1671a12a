import Foundation
import SessionCookies
import SessionToken

/// The library's own token: sealed and opened by the request's sealer, re-issued when the
/// sealer says it is due (its key is no longer the primary, or it is older than `updateAge`).
struct NativeTokenFormat: TokenFormatImplementation {
    var defaultPolicy: CookiePolicy { .default }

    func maxTokenLength(sealer: SessionSealer) -> Int { sealer.maxTokenLength }

    func lifetime(sealer: SessionSealer) -> TimeInterval { sealer.lifetime }

    func open(_ token: String, sealer: SessionSealer, at now: Date, mayReissue: (OpenedSession) -> Bool) -> TokenOpening {
        // One decryption: the replacement is sealed from the claims the open has just read.
        // The session is moved in and out of `opened`, never copied (it is a large value: a
        // copy cost a plain request 5 % in the Paired group).
        var opened: OpenedSession?
        let result: (session: VerifiedSession, replacement: String?)
        do throws(SessionTokenError) {
            result = try sealer.open(token, at: now) { verified in
                // A service signs users in by subject: a token without one is no session, and
                // gets no replacement.
                guard let session = OpenedSession(verified) else { return false }
                let answer = mayReissue(session)
                opened = consume session
                return answer
            }
        } catch {
            return .failed(OpenOutcome(error))
        }
        guard let session = opened.take() else { return .failed(.invalid) }
        return .opened(session, replacement: result.replacement, keyID: result.session.keyID)
    }

    func seal(subject: String, custom: some Encodable & Sendable, sealer: SessionSealer, at now: Date)
        throws(SessionTokenError) -> (token: String, session: OpenedSession)
    {
        let sealed = custom is EmptyClaims
            ? try sealer.seal(subject: subject, at: now)
            : try sealer.seal(subject: subject, custom: custom, at: now)
        guard let session = OpenedSession(sealed.session) else { throw .unsealable("the session names no subject") }
        return (sealed.token, session)
    }
}
