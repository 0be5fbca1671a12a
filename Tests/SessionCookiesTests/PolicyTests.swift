import Foundation
import SessionCookies
import SessionTokenTestSupport
import XCTest

/// The cookie policy, its presets, consent records and opt-in gating.
final class PolicyTests: XCTestCase {
    /// The product's cookie policy table, row by row, as the default policy writes it.
    func testDefaultPolicyMirrorsTheCookiePolicyTable() throws {
        let policy = CookiePolicy.default
        let writer = CookieWriter(policy: policy, consent: .essentialOnly)
        let session = ParsedSetCookie(try writer.setCookie(policy.session, value: "token", at: fixedNow))
        // The library's own token: `__Host-`, which no sibling host can plant or shadow;
        // next-auth's presets keep next-auth's own `__Secure-` name.
        XCTAssertEqual(session.name, "__Host-next-auth.session-token")
        XCTAssertEqual(CookiePolicy.nextAuthV4().session.name, "__Secure-next-auth.session-token")
        XCTAssertEqual(CookiePolicy.authJSV5().session.name, "__Secure-authjs.session-token")
        XCTAssertEqual(CookiePolicy.native(secure: false).session.name, "next-auth.session-token")
        XCTAssertEqual(session.attributes["max-age"], "2592000", "30 days")
        XCTAssertEqual(session.attributes["expires"], "Sun, 14 Feb 2027 08:00:00 GMT")
        XCTAssertEqual(session.attributes["samesite"], "Lax")
        XCTAssertNotNil(session.attributes["httponly"])
        XCTAssertNotNil(session.attributes["secure"])
        XCTAssertEqual(session.attributes["path"], "/")

        let csrf = ParsedSetCookie(try writer.setCookie(policy.csrf, value: "t|h"))
        XCTAssertEqual(csrf.name, "__Host-next-auth.csrf-token")
        XCTAssertNil(csrf.attributes["max-age"], "session lifetime")
        XCTAssertNil(csrf.attributes["expires"], "session lifetime")
        XCTAssertNil(csrf.attributes["domain"])
        XCTAssertNotNil(csrf.attributes["httponly"])

        let callback = ParsedSetCookie(try writer.setCookie(policy.callbackURL, value: "https://good.com/inbox"))
        XCTAssertEqual(callback.name, "__Secure-next-auth.callback-url")
        XCTAssertEqual(callback.value, "https%3A%2F%2Fgood.com%2Finbox")
        XCTAssertNil(callback.attributes["max-age"], "session lifetime")

        let consent = ParsedSetCookie(try writer.consentSetCookie(ConsentRecord(granting: [.analytics]), at: fixedNow))
        XCTAssertEqual(consent.name, "conneqt-cookie-consent")
        XCTAssertEqual(consent.value, "v1.analytics")
        XCTAssertEqual(consent.attributes["max-age"], "31536000", "1 year")
        XCTAssertNil(consent.attributes["httponly"], "the banner script reads it")

        XCTAssertTrue(policy.definitions.allSatisfy { $0.category == .essential }, "all four are strictly necessary")
    }

    func testPresets() {
        XCTAssertEqual(CookiePolicy.nextAuthV4(secure: false).definitions.map(\.name),
                       ["next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url", "conneqt-cookie-consent"])
        XCTAssertEqual(CookiePolicy.authJSV5().definitions.map(\.name),
                       ["__Secure-authjs.session-token", "__Host-authjs.csrf-token", "__Secure-authjs.callback-url",
                        "conneqt-cookie-consent"])
        XCTAssertEqual(CookiePolicy.authJSV5(secure: false).session.name, "authjs.session-token")
        XCTAssertEqual(CookiePolicy.nextAuthV4().sessionChunkSize, 3933)
        XCTAssertEqual(CookiePolicy.authJSV5().sessionChunkSize, 3936)
        XCTAssertFalse(CookiePolicy.nextAuthV4(secure: false).definitions.contains { $0.secure })
        XCTAssertTrue(CookiePolicy.nextAuthV4(secure: true).definitions.allSatisfy { $0.secure })
    }

    func testCustomPolicyIsChecked() throws {
        let base = CookiePolicy.default
        XCTAssertCookieError(.configuration("two cookies share a name"),
                             try CookiePolicy(session: base.session, csrf: base.session, callbackURL: base.callbackURL,
                                              consent: base.consent))
        var insecureHost = base.csrf
        insecureHost.secure = false
        XCTAssertCookieError(.prefixViolation(name: "__Host-next-auth.csrf-token", rule: "a __Host- cookie requires Secure"),
                             try CookiePolicy(session: base.session, csrf: insecureHost, callbackURL: base.callbackURL,
                                              consent: base.consent))
        var analyticsSession = base.session
        analyticsSession.category = .analytics
        XCTAssertCookieError(.configuration("cookie __Host-next-auth.session-token must be essential"),
                             try CookiePolicy(session: analyticsSession, csrf: base.csrf, callbackURL: base.callbackURL,
                                              consent: base.consent))
        XCTAssertCookieError(.configuration("session chunk size must be 1...4000"),
                             try CookiePolicy(session: base.session, csrf: base.csrf, callbackURL: base.callbackURL,
                                              consent: base.consent, sessionChunkSize: 4097))
        let named = try CookiePolicy(
            session: CookieDefinition(name: "sid", category: .essential, maxAge: 3600),
            csrf: CookieDefinition(name: "__Host-csrf", category: .essential),
            callbackURL: CookieDefinition(name: "back", category: .essential),
            consent: CookieDefinition(name: "consent", category: .essential, maxAge: 10, httpOnly: false))
        XCTAssertEqual(named.definition(named: "back")?.category, .essential)
        XCTAssertNil(named.definition(named: "other"))
    }

    // MARK: - Consent

    func testConsentRecordFormat() {
        XCTAssertEqual(ConsentRecord.essentialOnly.cookieValue, "v1")
        XCTAssertEqual(ConsentRecord(granting: [.marketing, .functional, .essential]).cookieValue, "v1.functional.marketing")
        XCTAssertEqual(ConsentRecord(granting: Set(CookieCategory.allCases)).cookieValue, "v1.functional.analytics.marketing")
        for record in [ConsentRecord.essentialOnly, ConsentRecord(granting: [.analytics]),
                       ConsentRecord(granting: [.functional, .analytics, .marketing])] {
            XCTAssertEqual(ConsentRecord.parse(record.cookieValue), record, "round trip")
            XCTAssertEqual(ConsentRecord(cookieValue: record.cookieValue), record)
        }
        XCTAssertEqual(ConsentRecord.parse("v1.marketing.functional"), ConsentRecord(granting: [.functional, .marketing]))
    }

    func testMalformedOrUnknownConsentMeansEssentialOnly() {
        for value in ["", "v2.analytics", "v0", "V1.analytics", "v1.Analytics", "v1.analytics.analytics", "v1.essential",
                      "v1.tracking", "v1.", "v1..analytics", ".v1", "analytics", "v1 analytics", "v1.analytics ",
                      "{\"v\":1}", "v1.analytics." + String(repeating: "x", count: 60), "v10.analytics"] {
            XCTAssertNil(ConsentRecord.parse(value), value)
            let record = ConsentRecord(cookieValue: value)
            XCTAssertEqual(record, .essentialOnly, value)
            XCTAssertTrue(record.grants(.essential))
            XCTAssertFalse(record.grants(.analytics))
        }
        XCTAssertEqual(ConsentRecord(cookieValue: nil), .essentialOnly)
    }

    // MARK: - Opt-in gating

    func testNoNonEssentialCookieWithoutConsent() throws {
        let analytics = CookieDefinition(name: "plausible_id", category: .analytics, maxAge: 86_400)
        let prefs = CookieDefinition(name: "sidebar", category: .functional, maxAge: 86_400)
        let ads = CookieDefinition(name: "ad_id", category: .marketing)
        let policy = try CookiePolicy.default.adding([analytics, prefs, ads])
        let definitions = [analytics, prefs, ads]

        // No consent cookie, a malformed one, an explicit refusal, another version: nothing.
        for header in ["", "conneqt-cookie-consent=garbage", "conneqt-cookie-consent=v1", "conneqt-cookie-consent=v2.analytics"] {
            let writer = CookieWriter(policy: policy, request: try RequestCookies(header: header))
            for definition in definitions {
                XCTAssertCookieError(.consentRequired(name: definition.name, category: definition.category),
                                     try writer.setCookie(definition, value: "1"), header)
            }
            XCTAssertNoThrow(try writer.setCookie(policy.session, value: "t"), "essential needs no consent")
        }
        // Each grant opens exactly its own category.
        for category in [CookieCategory.functional, .analytics, .marketing] {
            let writer = CookieWriter(policy: policy, consent: ConsentRecord(granting: [category]))
            for definition in definitions {
                if definition.category == category {
                    XCTAssertNoThrow(try writer.setCookie(definition, value: "1"))
                } else {
                    XCTAssertThrowsError(try writer.setCookie(definition, value: "1"))
                }
            }
        }
        // The first repeated consent cookie is the one that counts.
        let twice = CookieWriter(policy: policy, request: try RequestCookies(
            header: "conneqt-cookie-consent=v1; conneqt-cookie-consent=v1.analytics"))
        XCTAssertThrowsError(try twice.setCookie(analytics, value: "1"))
    }

    func testWithdrawnConsentExpiresNonEssentialCookies() throws {
        let analytics = CookieDefinition(name: "plausible_id", category: .analytics, maxAge: 86_400)
        let policy = try CookiePolicy.default.adding([analytics])
        let request = try RequestCookies(header: "plausible_id=abc; conneqt-cookie-consent=v1")
        let writer = CookieWriter(policy: policy, request: request)
        XCTAssertEqual(writer.withdrawnSetCookies(request: request),
                       ["plausible_id=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"])
        XCTAssertEqual(try writer.expiringSetCookie(analytics), "plausible_id=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax")
        let granted = CookieWriter(policy: policy, consent: ConsentRecord(granting: [.analytics]))
        XCTAssertEqual(granted.withdrawnSetCookies(request: request), [])
    }
}
