import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// The session model through the framework-neutral layer: purposes, re-issue that keeps the
/// session, a stale node that re-issues nothing, a planted-cookie header that still signs out,
/// and next-auth re-issues that keep the front end's claims.
final class SessionIdentityTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let spec = "k1:" + String(repeating: "A", count: 42) + "E"


    func keys() throws -> KeyRingProvider { try KeyRingProvider(source: .custom { Self.spec }) }

    private func cookie(_ lines: [String]) -> String {
        lines.map { String($0.prefix { $0 != ";" }) }.joined(separator: "; ")
    }

    /// The security review's high finding: a token the ring sealed for something else (the
    /// Vapor driver's session data, an application's reset link) was accepted as a session of
    /// its subject. Now it opens signed out.
    func testATokenOfAnotherPurposeNeverOpensAsASession() throws {
        let keys = try keys()
        let sessions = SessionConfiguration(keys: keys, clock: { Self.now })
        let name = sessions.policy.session.name
        for purpose in [TokenPurpose.vaporSessionData, try .application("password-reset")] {
            let other = try keys.sealer(for: purpose).seal(subject: "admin", at: Self.now).token
            let request = sessions.open(cookieHeader: "\(name)=\(other)")
            XCTAssertNil(request.session, "\(purpose)")
            XCTAssertEqual(request.responseSetCookies(), [])
        }
        // The session sealer's own token opens; a sealer for another purpose cannot open it.
        let session = try keys.sealer.seal(subject: "admin", at: Self.now).token
        XCTAssertEqual(sessions.open(cookieHeader: "\(name)=\(session)").subject, "admin")
        XCTAssertThrowsError(try keys.sealer(for: .vaporSessionData).open(session, at: Self.now)) {
            XCTAssertEqual($0 as? SessionTokenError, .invalid)
        }
    }

    /// "Sign out this device" follows the session through re-issue: the copy a node re-issued
    /// before it heard of the revocation is refused too, and "everywhere" refuses sessions that
    /// began before the cut-off, however recently re-issued.
    func testARevokedSessionsReissuedCopyIsRefused() async throws {
        let keys = try keys()
        let clock = TestClock(Self.now)
        let store = InMemoryRevocationStore()
        let node = RevocationService(store: store, sealer: keys.sealer, clock: { clock.now })
        try await node.start()
        let sessions = SessionConfiguration(keys: keys, clock: { clock.now }, revocations: node)

        let signingIn = sessions.open(cookieHeader: nil)
        try signingIn.signIn(subject: "alice")
        let stolen = cookie(signingIn.responseSetCookies())
        // Two days later a thief presents it to a node that knows nothing yet: re-issued.
        clock.now = Self.now.addingTimeInterval(2 * 86_400)
        let unaware = SessionConfiguration(keys: keys, clock: { clock.now })
        let thief = unaware.open(cookieHeader: stolen)
        XCTAssertEqual(thief.subject, "alice")
        let copy = cookie(thief.responseSetCookies())
        XCTAssertFalse(copy.isEmpty, "the stolen token was due for re-issue")
        XCTAssertEqual(thief.session?.sessionID, signingIn.session?.sessionID, "the re-issue keeps the session's ID")

        // The owner signs this device out, on the node that knows.
        try await sessions.open(cookieHeader: stolen).signOut(revoking: .thisSession)
        XCTAssertNil(sessions.open(cookieHeader: stolen).session)
        XCTAssertNil(sessions.open(cookieHeader: copy).session, "the re-issued copy is the same session")

        // Everywhere: a cut-off after the copy was issued still refuses it (its session began before).
        let other = sessions.open(cookieHeader: nil)
        try other.signIn(subject: "bob")
        let bob = cookie(other.responseSetCookies())
        clock.now = Self.now.addingTimeInterval(3 * 86_400)
        let bobCopy = cookie(unaware.open(cookieHeader: bob).responseSetCookies())
        XCTAssertFalse(bobCopy.isEmpty)
        try await sessions.open(cookieHeader: bob).signOut(revoking: .everywhere)
        XCTAssertNil(sessions.open(cookieHeader: bobCopy).session)
        let again = sessions.open(cookieHeader: nil)
        clock.now = clock.now.addingTimeInterval(1)
        try again.signIn(subject: "bob")
        XCTAssertEqual(sessions.open(cookieHeader: cookie(again.responseSetCookies())).subject, "bob")
    }

    /// A node whose revocations are older than the policy's bound still opens tokens but
    /// re-issues none: a thief with a revoked session's cookie gets no fresh one from it.
    func testAStaleNodeReissuesNothing() async throws {
        let keys = try keys()
        let clock = TestClock(Self.now)
        let node = RevocationService(
            store: InMemoryRevocationStore(), sealer: keys.sealer, policy: RevocationPolicy(staleAfter: .seconds(300)),
            clock: { clock.now })
        try await node.start()
        let sessions = SessionConfiguration(keys: keys, clock: { clock.now }, revocations: node)
        let signingIn = sessions.open(cookieHeader: nil)
        try signingIn.signIn(subject: "alice")
        let token = cookie(signingIn.responseSetCookies())

        clock.now = Self.now.addingTimeInterval(86_400)  // due for re-issue; the set is a day old
        XCTAssertTrue(node.isStale)
        let stale = sessions.open(cookieHeader: token)
        XCTAssertEqual(stale.subject, "alice", "a stale node keeps serving by default")
        XCTAssertEqual(stale.responseSetCookies(), [], "but re-issues nothing")

        let reloaded = await node.reload()
        XCTAssertTrue(reloaded)
        XCTAssertFalse(node.isStale)
        XCTAssertEqual(sessions.open(cookieHeader: token).responseSetCookies().count, 1, "fresh again: re-issued")
    }

    /// A `Cookie` header over the limits (181 planted cookies) leaves the visitor signed out,
    /// and still lets them sign out: the CSRF cookie is found by name, and sign-out expires every
    /// session chunk the header carries.
    func testAHeaderOverTheLimitsStillSignsOut() throws {
        let keys = try keys()
        let csrf = try CSRFProtection.signed(
            SignedCSRF(key: SessionKey.derive(fromSecret: Array(String(repeating: "m", count: 32).utf8), purpose: "csrf")))
        let sessions = SessionConfiguration(keys: keys, csrf: csrf, clock: { Self.now })
        let first = sessions.open(cookieHeader: nil)
        let token = try first.csrfToken()
        let csrfCookie = cookie(first.responseSetCookies())
        let name = sessions.policy.session.name
        let planted = (0..<181).map { "p\($0)=x" }.joined(separator: "; ")
        let header = "\(planted); \(name).0=aaaa; \(name).1=bbbb; \(csrfCookie)"

        let request = sessions.open(cookieHeader: header)
        XCTAssertNil(request.session)
        XCTAssertTrue(request.verifyCSRF(submitted: token), "the CSRF cookie is still read")
        XCTAssertFalse(request.verifyCSRF(submitted: token + "x"))
        try request.signOut()
        let expired = request.responseSetCookies().map { String($0.prefix { $0 != "=" }) }
        XCTAssertEqual(Set(expired), ["\(name).0", "\(name).1"])
        XCTAssertTrue(request.responseSetCookies().allSatisfy { $0.contains("Max-Age=0") })
    }

    /// The security review found a re-issued next-auth token without the front end's own claims
    /// (`role`, `accessToken`): the middleware re-issued from next-auth's standard claims only.
    /// A sign-in here writes `sid` and `auth_time`, which re-issues keep, and "this device" then
    /// revokes that session only.
    func testNextAuthReissueKeepsTheFrontEndsClaimsAndSignInGivesASessionIdentity() async throws {
        struct Claims: Codable, Equatable {
            var sub: String
            var role: String
            var accessToken: String
            var sid: String?
        }
        let codec = try NextAuthCodec(secrets: ["front-end-secret"], format: .v4)
        let clock = TestClock(Self.now)
        let node = RevocationService(store: InMemoryRevocationStore(), codec: codec, clock: { clock.now })
        try await node.start()
        let sessions = SessionConfiguration(keys: try keys(), nextAuth: codec, clock: { clock.now }, revocations: node)
        let name = sessions.policy.session.name
        XCTAssertEqual(name, "__Secure-next-auth.session-token", "next-auth's own name by default")

        let frontEnd = try codec.encode(Claims(sub: "u-1", role: "admin", accessToken: "ya29.x", sid: nil), at: Self.now)
        clock.now = Self.now.addingTimeInterval(2 * 86_400)
        await node.reload()  // fresh: a stale node would re-issue nothing
        let request = sessions.open(cookieHeader: "\(name)=\(frontEnd)")
        XCTAssertEqual(request.subject, "u-1")
        let reissued = try XCTUnwrap(request.responseSetCookies().first.map { String($0.prefix { $0 != ";" }.dropFirst(name.count + 1)) })
        XCTAssertEqual(try codec.decode(reissued, as: Claims.self, at: clock.now), Claims(sub: "u-1", role: "admin", accessToken: "ya29.x", sid: nil))

        // Signed in here: a session identity, kept by the re-issue; "this device" revokes it alone.
        let signingIn = sessions.open(cookieHeader: nil)
        try signingIn.signIn(subject: "u-2", custom: ["role": "viewer"])
        let mine = cookie(signingIn.responseSetCookies())
        let sid = try XCTUnwrap(signingIn.session?.sessionID)
        XCTAssertNotNil(signingIn.session?.sessionStart)
        let other = sessions.open(cookieHeader: nil)
        try other.signIn(subject: "u-2")
        let otherDevice = cookie(other.responseSetCookies())
        clock.now = clock.now.addingTimeInterval(2 * 86_400)
        await node.reload()
        let copy = cookie(SessionConfiguration(keys: try keys(), nextAuth: codec, clock: { clock.now }).open(cookieHeader: mine).responseSetCookies())
        XCTAssertEqual(sessions.open(cookieHeader: copy).session?.sessionID, sid)
        try await sessions.open(cookieHeader: mine).signOut(revoking: .thisSession)
        XCTAssertNil(sessions.open(cookieHeader: copy).session, "the re-issued copy of the revoked session")
        XCTAssertEqual(sessions.open(cookieHeader: otherDevice).subject, "u-2", "the user's other session stays")
    }

    /// Sign-in hands the request the session its cookie opens as, for both formats: the native
    /// one without opening its own token again (sealing reports what it sealed), next-auth's
    /// from the token its encoder wrote.
    func testSignInsSessionIsWhatItsCookieOpensAs() throws {
        let codec = try NextAuthCodec(secrets: ["front-end-secret"], format: .v5(cookieName: "__Secure-authjs.session-token"))
        for format in [SessionTokenFormat.native, .nextAuth(codec)] {
            let sessions = SessionConfiguration(keys: try keys(), format: format, clock: { Self.now })
            let signingIn = sessions.open(cookieHeader: nil)
            try signingIn.signIn(subject: "ada", custom: ["role": "editor"])
            let made = try XCTUnwrap(signingIn.session)
            let opened = try XCTUnwrap(sessions.open(cookieHeader: cookie(signingIn.responseSetCookies())).session)
            XCTAssertEqual(opened, made)
            XCTAssertEqual(opened.sessionID, made.sessionID)
            XCTAssertEqual(made.sessionStart, Self.now)
            XCTAssertNotNil(made.sessionID)
        }
        // Equality sees the format's own claims: another sign-in is another session.
        let sessions = SessionConfiguration(keys: try keys(), nextAuth: codec, clock: { Self.now })
        let (first, second) = (sessions.open(cookieHeader: nil), sessions.open(cookieHeader: nil))
        try first.signIn(subject: "ada")
        try second.signIn(subject: "ada")
        XCTAssertNotEqual(first.session, second.session)
        XCTAssertEqual(first.session?.nextAuth?.subject, "ada")
        XCTAssertNil(SessionConfiguration(keys: try keys()).open(cookieHeader: nil).session?.nextAuth)
    }

    /// `Cache-Control` and `Vary` for a response that sets a cookie: `no-store` already said is
    /// kept; anything weaker is replaced; `Cookie` is added to `Vary` once.
    func testCacheHeadersForResponsesThatSetCookies() {
        XCTAssertEqual(RequestSession.cacheControl(replacing: nil), "private, no-store")
        XCTAssertEqual(RequestSession.cacheControl(replacing: "public, max-age=3600"), "private, no-store")
        XCTAssertEqual(RequestSession.cacheControl(replacing: "no-cache"), "private, no-store")
        XCTAssertNil(RequestSession.cacheControl(replacing: "no-store"))
        XCTAssertNil(RequestSession.cacheControl(replacing: "private, No-Store, max-age=0"))
        XCTAssertEqual(RequestSession.cacheControl(replacing: "max-age=0, no-store-ish"), "private, no-store")
        XCTAssertEqual(RequestSession.vary(adding: nil), "Cookie")
        XCTAssertEqual(RequestSession.vary(adding: "Accept-Encoding"), "Accept-Encoding, Cookie")
        XCTAssertNil(RequestSession.vary(adding: "accept-encoding, cookie"))
        XCTAssertNil(RequestSession.vary(adding: "*"))
    }
}
