import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenTestSupport
import XCTest
import SessionTokenRevocation

/// The framework-neutral half of the integrations (SessionTokenHTTP), without a framework; the
/// framework tests run the same rules over HTTP.
final class RequestSessionTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    func configuration(csrf: Bool = true) throws -> SessionConfiguration {
        let keys = try KeyRingProvider(source: .custom { "k1:" + String(repeating: "A", count: 42) + "E" })
        let protection = try CSRFProtection.signed(
            SignedCSRF(key: SessionKey.derive(fromSecret: Array(String(repeating: "m", count: 32).utf8), purpose: "csrf")))
        return SessionConfiguration(keys: keys, csrf: csrf ? protection : nil, clock: { Self.now })
    }

    func testARequestWithoutAValidCookieIsSignedOutAndSetsNothing() throws {
        let sessions = try configuration()
        let name = CookiePolicy.default.session.name
        for header in [nil, "", "garbage", "\(name)=x.y.z.w.v", "\(name)=a; \(name)=b", String(repeating: "a=b; ", count: 7000)] {
            let request = sessions.open(cookieHeader: header)
            XCTAssertNil(request.session, String(header?.prefix(40) ?? "nil"))
            XCTAssertEqual(request.responseSetCookies(), [])
        }
    }

    func testSignInThenOpenThenSignOut() throws {
        let sessions = try configuration()
        let signingIn = sessions.open(cookieHeader: nil)
        try signingIn.signIn(subject: "user-7")
        XCTAssertEqual(signingIn.subject, "user-7", "the new session is visible to the rest of the handler")
        let lines = signingIn.responseSetCookies()
        XCTAssertEqual(lines.count, 1)
        let cookie = String(lines[0].prefix { $0 != ";" })
        let next = sessions.open(cookieHeader: cookie)
        XCTAssertEqual(next.subject, "user-7")
        XCTAssertEqual(next.responseSetCookies(), [], "a fresh token is not re-issued")
        try next.signOut()
        XCTAssertNil(next.session)
        XCTAssertEqual(next.responseSetCookies(), [
            "__Host-next-auth.session-token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
        ])
        // The last call wins: signing in again after signing out stores the new session.
        try next.signIn(subject: "user-8")
        XCTAssertEqual(next.responseSetCookies().count, 1)
        XCTAssertEqual(sessions.open(cookieHeader: String(next.responseSetCookies()[0].prefix { $0 != ";" })).subject, "user-8")
    }

    /// A revoked session opens signed out and is not re-issued; the user's later session and
    /// another user's still open; the check reads the list current at each request.
    func testRevokedSessionsOpenSignedOut() throws {
        let keys = try KeyRingProvider(source: .custom { "k1:" + String(repeating: "A", count: 42) + "E" })
        // The clock moves on after the revocation, so re-issue would be due on the old token.
        let clock = TestClock(Self.now)
        let service = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
        let revocations = service.list
        let sessions = SessionConfiguration(keys: keys, clock: { clock.now }, revocations: service)
        func cookie(signingIn subject: String) throws -> String {
            let request = sessions.open(cookieHeader: nil)
            try request.signIn(subject: subject)
            return String(request.responseSetCookies()[0].prefix { $0 != ";" })
        }
        let before = try cookie(signingIn: "alice"), bob = try cookie(signingIn: "bob")
        let sessionID = try XCTUnwrap(sessions.open(cookieHeader: bob).session?.sessionID)
        clock.now = Self.now.addingTimeInterval(60)
        let after = try cookie(signingIn: "alice")
        revocations.replace(with: [.user("alice", before: Self.now.addingTimeInterval(30), retainedFor: keys.sealer.maxTokenAge)], at: clock.now)
        clock.now = Self.now.addingTimeInterval(2 * 86_400)
        let revoked = sessions.open(cookieHeader: before)
        XCTAssertNil(revoked.session)
        XCTAssertEqual(revoked.responseSetCookies(), [], "a revoked session is not re-issued")
        XCTAssertEqual(sessions.open(cookieHeader: after).subject, "alice")
        XCTAssertEqual(sessions.open(cookieHeader: bob).subject, "bob")
        revocations.replace(with: [.session(sessionID, at: clock.now, retainedFor: keys.sealer.maxTokenAge)], at: clock.now)
        XCTAssertNil(sessions.open(cookieHeader: bob).session)
        XCTAssertEqual(sessions.open(cookieHeader: before).subject, "alice", "the user revocation was replaced")
    }

    /// Signing out with `revoking:` writes the revocation before expiring the cookie: a copy of
    /// this device's cookie is refused, the user's other device only after `.everywhere`.
    func testRevokingSignOutsRefuseCopiesOfTheCookie() async throws {
        let keys = try KeyRingProvider(source: .custom { "k1:" + String(repeating: "A", count: 42) + "E" })
        let clock = TestClock(Self.now)
        let store = InMemoryRevocationStore()
        let service = RevocationService(store: store, sealer: keys.sealer, clock: { clock.now })
        let sessions = SessionConfiguration(keys: keys, clock: { clock.now }, revocations: service)
        func cookie(signingIn subject: String) throws -> String {
            let request = sessions.open(cookieHeader: nil)
            try request.signIn(subject: subject)
            return String(request.responseSetCookies()[0].prefix { $0 != ";" })
        }
        let laptop = try cookie(signingIn: "alice"), phone = try cookie(signingIn: "alice"), bob = try cookie(signingIn: "bob")
        clock.now = Self.now.addingTimeInterval(5)

        let signingOut = sessions.open(cookieHeader: laptop)
        try await signingOut.signOut(revoking: .thisSession)
        XCTAssertNil(signingOut.session)
        XCTAssertTrue(signingOut.responseSetCookies().allSatisfy { $0.contains("Max-Age=0") })
        XCTAssertNil(sessions.open(cookieHeader: laptop).session, "a copy of the signed-out cookie is refused")
        XCTAssertEqual(sessions.open(cookieHeader: phone).subject, "alice", "the other device stays signed in")

        try await sessions.open(cookieHeader: phone).signOut(revoking: .everywhere)
        XCTAssertNil(sessions.open(cookieHeader: phone).session)
        XCTAssertEqual(sessions.open(cookieHeader: bob).subject, "bob", "another user stays signed in")
        clock.now = Self.now.addingTimeInterval(6)
        XCTAssertEqual(sessions.open(cookieHeader: try cookie(signingIn: "alice")).subject, "alice", "a new sign-in opens")
        let written = await store.revocations(at: clock.now)
        XCTAssertEqual(written.revocations.map(\.target), [
            .session(try XCTUnwrap(SessionConfiguration(keys: keys, clock: { Self.now }).open(cookieHeader: laptop).session?.sessionID)),
            .user("alice"),
        ])

        // Signed out already: the cookies are expired, nothing is written.
        try await sessions.open(cookieHeader: nil).signOut(revoking: .everywhere)
        let after = await store.revocations(at: clock.now)
        XCTAssertEqual(after.revocations.count, 2)
        // Without a revocation service the call says so.
        do {
            try await SessionConfiguration(keys: keys).open(cookieHeader: bob).signOut(revoking: .thisSession)
            XCTFail("no revocation service is configured")
        } catch let error as SessionTokenError {
            XCTAssertEqual(error, .configuration("no revocation service is configured"))
        }
    }

    func testASessionThatNoMiddlewareOpenedRefusesToWrite() {
        let unattached = RequestSession()
        XCTAssertNil(unattached.session)
        XCTAssertEqual(unattached.cookies, .empty)
        XCTAssertTokenError(.configuration("no session middleware ran for this request"), try unattached.signIn(subject: "a"))
        XCTAssertTokenError(.configuration("no session middleware ran for this request"), try unattached.signOut())
        XCTAssertTokenError(.configuration("no session middleware ran for this request"), try unattached.csrfToken())
        XCTAssertFalse(unattached.verifyCSRF(submitted: "x"))
        XCTAssertEqual(unattached.responseSetCookies(), [])
    }

    func testCSRFTokensRoundTripAndNeedConfiguring() throws {
        let sessions = try configuration()
        let first = sessions.open(cookieHeader: nil)
        let token = try first.csrfToken()
        XCTAssertEqual(try first.csrfToken(), token, "one token a response")
        let lines = first.responseSetCookies()
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].hasPrefix("__Host-next-auth.csrf-token=\(token); Path=/; Secure; HttpOnly; SameSite=Lax"), lines[0])
        let cookie = String(lines[0].prefix { $0 != ";" })
        let second = sessions.open(cookieHeader: cookie)
        XCTAssertTrue(second.verifyCSRF(submitted: token))
        XCTAssertFalse(second.verifyCSRF(submitted: nil))
        // The last character changed (to another one: a token ending in "0" must not stay itself).
        XCTAssertFalse(second.verifyCSRF(submitted: String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")))
        XCTAssertFalse(sessions.open(cookieHeader: nil).verifyCSRF(submitted: token), "no cookie")
        XCTAssertEqual(try second.csrfToken(), token, "a valid cookie's token is reused")
        XCTAssertEqual(second.responseSetCookies(), [])
        let unprotected = try configuration(csrf: false).open(cookieHeader: cookie)
        XCTAssertTokenError(.configuration("no CSRF protection is configured"), try unprotected.csrfToken())
        XCTAssertFalse(unprotected.verifyCSRF(submitted: token), "no protection configured fails closed")
    }

    func testOnlyUnsafeMethodsNeedAToken() {
        for method in ["GET", "HEAD", "OPTIONS", "TRACE"] { XCTAssertFalse(CSRFProtection.requiresCheck(method: method)) }
        for method in ["POST", "PUT", "PATCH", "DELETE", "CONNECT", "PROPFIND", "get"] {
            XCTAssertTrue(CSRFProtection.requiresCheck(method: method), method)
        }
    }
}

/// The form reader the CSRF middleware uses on urlencoded bodies.
final class FormFieldsTests: XCTestCase {
    func testFieldsAreDecodedOnceAndRepeatsAreAmbiguous() {
        let cases: [(String, String?)] = [
            ("csrfToken=abc&user=a", "abc"),
            ("user=a&csrfToken=abc", "abc"),
            ("csrfToken=a+b%21", "a b!"),
            ("csrf%54oken=x", "x"),  // the name is decoded too
            ("csrfToken=", ""),
            ("csrfToken", ""),
            ("&&csrfToken=x&&", "x"),
            ("csrfToken=a&csrfToken=a", nil),  // twice: ambiguous
            ("csrfToken=%zz", nil),  // a bad escape
            ("csrfToken=%", nil),
            ("csrftoken=x", nil),  // names are case-sensitive
            ("user=a", nil),
            ("", nil),
        ]
        for (body, expected) in cases {
            XCTAssertEqual(FormFields.value(of: "csrfToken", in: body), expected, body)
        }
    }

    /// The reader works on the body's bytes in place; Foundation's `removingPercentEncoding`
    /// (what it was written with first) is the reference, on random bodies made of the pieces
    /// that matter: escapes good and bad, `+`, escaped names, repeats, empty pieces, non-ASCII
    /// text and escapes that decode to bytes that are not UTF-8.
    func testReadsAsFoundationDecodes() {
        func reference(_ name: String, _ body: String) -> String? {
            func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            var found: String?
            for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard decode(parts[0]) == name else { continue }
                guard found == nil, let value = decode(parts.count == 2 ? parts[1] : "") else { return nil }
                found = value
            }
            return found
        }
        let names = ["csrfToken", "csrf%54oken", "csrf%74oken", "csrfToken+", "csrf+Token", "other", "csrfTok%", "%zz", "",
                     "csrfToken%3D", "%C3%A9t%C3%A9"]
        let values = ["abc", "", "a+b", "%21%2a", "%", "%2", "%zz", "%C3%A9", "%C3", "%FF", "é=ü", "a=b=c", "%2B+%25"]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<4_000 {
            let body = (0..<Int.random(in: 0...5, using: &generator)).map { _ -> String in
                switch Int.random(in: 0..<8, using: &generator) {
                case 0: ""
                case 1: names.randomElement(using: &generator)!
                default: "\(names.randomElement(using: &generator)!)=\(values.randomElement(using: &generator)!)"
                }
            }.joined(separator: "&")
            for name in ["csrfToken", "été", "csrfToken="] {
                let expected = reference(name, body)
                if expected != nil { found += 1 }
                XCTAssertEqual(FormFields.value(of: name, in: body), expected, "\(name) in \(body)")
            }
        }
        XCTAssertGreaterThan(found, 500, "the comparison reached found values")
    }
}
