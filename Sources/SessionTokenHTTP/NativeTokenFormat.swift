import Foundation
import SessionCookies
import SessionToken

/// The library's own token: sealed and opened by the request's sealer, due for re-issue when
/// the sealer says so (its key is no longer the primary, or it is older than `updateAge`).
struct NativeTokenFormat: TokenFormatImplementation {
    var defaultPolicy: CookiePolicy { .default }

    func maxTokenLength(sealer: SessionSealer) -> Int { sealer.maxTokenLength }

    func lifetime(sealer: SessionSealer) -> TimeInterval { sealer.lifetime }

    func open(_ token: String, sealer: SessionSealer, at now: Date) -> TokenOpening {
        let verified: VerifiedSession
        do throws(SessionTokenError) {
            verified = try sealer.open(token, at: now)
        } catch {
            return .failed(OpenOutcome(error))
        }
        // A service signs users in by subject: a token without one is no session.
        guard let session = OpenedSession(verified) else { return .failed(.invalid) }
        return .opened(session, due: verified.needsReissue, keyID: verified.keyID)
    }

    func reissue(_ token: String, sealer: SessionSealer, at now: Date) -> String? {
        // Opens the token again: re-issue comes once a day per session, and the hot path
        // stays one open.
        (try? sealer.refresh(token, at: now))?.replacement
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
