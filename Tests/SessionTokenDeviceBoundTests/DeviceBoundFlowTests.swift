import Foundation
import SessionCookies
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenRevocation
import SessionTokenTestSupport
import XCTest
import DeviceBoundTestSupport

/// Whole DBSC rounds through the framework-neutral layer, with a software browser: sign-in's
/// offer, registration, refresh with the 403 round and with pushed challenges, copied cookies
/// that stop working, revocations that reach a bound session, a stale store answering 5xx.
final class DeviceBoundFlowTests: XCTestCase {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let spec = "k1:" + String(repeating: "A", count: 42) + "E"


    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [DeviceBoundEvent] = []
        func add(_ event: DeviceBoundEvent) { lock.withLock { list.append(event) } }
        var all: [DeviceBoundEvent] { lock.withLock { list } }
    }

    struct Service {
        let sessions: SessionConfiguration
        let binding: DeviceBinding
        let revocations: RevocationService
        let clock: TestClock
        let events: Events

        func post(_ path: String, _ browser: SoftwareBrowser, headers: [String: String] = [:]) async -> DeviceBindingResponse {
            let cookie = browser.cookieHeader(path: path)
            let answer = await binding.respond(
                method: "POST", path: path[...],
                header: { name in name == "Cookie" ? cookie : headers[name] }, configuration: sessions)
            return answer ?? DeviceBindingResponse.notHandled
        }
    }

    func service(cookieLifetime: TimeInterval = 600, staleAfter: Duration = .seconds(86_400 * 365)) async throws -> Service {
        let clock = TestClock(Self.start)
        let events = Events()
        let keys = try KeyRingProvider(source: .custom { Self.spec })
        let node = RevocationService(
            store: InMemoryRevocationStore(), sealer: keys.sealer, policy: RevocationPolicy(staleAfter: staleAfter),
            clock: { clock.now })
        try await node.start()
        let binding = try DeviceBinding.deviceBound(
            origin: "https://localhost:8443", cookieLifetime: cookieLifetime, onEvent: { events.add($0) })
        let sessions = SessionConfiguration(
            keys: keys, clock: { clock.now }, revocations: node, deviceBinding: binding)
        return Service(sessions: sessions, binding: binding, revocations: node, clock: clock, events: events)
    }

    /// Signs in and registers: the browser holds the bound cookie and the ticket.
    func registered(_ service: Service, rsa: Bool = false) async throws -> (SoftwareBrowser, bearer: String) {
        var browser = try SoftwareBrowser(rsa: rsa)
        let signIn = service.sessions.open(cookieHeader: nil)
        try signIn.signIn(subject: "alice")
        browser.store(signIn.responseSetCookies())
        let bearer = try XCTUnwrap(browser.cookieHeader())
        let offer = try XCTUnwrap(signIn.responseHeaders().first { $0.name == "Secure-Session-Registration" }?.value)
        let proof = try browser.proof(try XCTUnwrap(challenge(in: offer)), registration: true)
        let answer = await service.post("/dbsc/register", browser, headers: ["Secure-Session-Response": proof])
        XCTAssertEqual(answer.status, 200)
        browser.store(answer)
        return (browser, bearer)
    }

    func testSignInOffersRegistrationAndRegistrationRetiresTheBearerCookie() async throws {
        let service = try await service()
        let signIn = service.sessions.open(cookieHeader: nil)
        try signIn.signIn(subject: "alice")
        let offer = try XCTUnwrap(signIn.responseHeaders().first { $0.name == "Secure-Session-Registration" }?.value)
        XCTAssertTrue(offer.hasPrefix(#"(ES256 RS256);path="/dbsc/register";challenge=""#), offer)
        let original = try XCTUnwrap(signIn.session)

        var browser = try SoftwareBrowser()
        browser.store(signIn.responseSetCookies())
        let bearer = try XCTUnwrap(browser.cookieHeader())
        let proof = try browser.proof(try XCTUnwrap(challenge(in: offer)), registration: true)
        let answer = await service.post("/dbsc/register", browser, headers: ["Secure-Session-Response": proof])
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Content-Type"), "application/json")

        // The instructions, as Chromium requires them.
        let instructions = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        let identifier = try XCTUnwrap(instructions["session_identifier"] as? String)
        XCTAssertEqual(instructions["refresh_url"] as? String, "/dbsc/refresh")
        let scope = try XCTUnwrap(instructions["scope"] as? [String: Any])
        XCTAssertEqual(scope["origin"] as? String, "https://localhost:8443")
        XCTAssertEqual(scope["include_site"] as? Bool, false)
        let credentials = try XCTUnwrap(instructions["credentials"] as? [[String: Any]])
        XCTAssertEqual(credentials.count, 1)
        XCTAssertEqual(credentials[0]["type"] as? String, "cookie")
        XCTAssertEqual(credentials[0]["name"] as? String, service.sessions.policy.session.name)
        XCTAssertEqual(credentials[0]["attributes"] as? String, "Path=/; Secure; HttpOnly; SameSite=Lax")

        // The bound cookie (the session cookie's name, the bound lifetime) and the ticket.
        let boundLine = try XCTUnwrap(answer.setCookies.first { $0.hasPrefix(service.sessions.policy.session.name + "=") })
        XCTAssertTrue(boundLine.contains("Max-Age=600"), boundLine)
        let ticketLine = try XCTUnwrap(answer.setCookies.first { $0.hasPrefix("__Secure-dbsc-ticket=") })
        for attribute in ["Path=/dbsc/refresh", "Secure", "HttpOnly", "SameSite=Strict"] {
            XCTAssertTrue(ticketLine.contains(attribute), "\(attribute) in \(ticketLine)")
        }
        XCTAssertTrue(answer.header("Secure-Session-Challenge")?.hasSuffix(#";id="\#(identifier)""#) ?? false)

        // The bound cookie opens as the same user and sign-in, device-bound, under the new ID.
        browser.store(answer)
        let bound = try XCTUnwrap(service.sessions.open(cookieHeader: browser.cookieHeader()).session)
        XCTAssertTrue(bound.isDeviceBound)
        XCTAssertEqual(bound.subject, "alice")
        XCTAssertEqual(bound.sessionStart, original.sessionStart)
        XCTAssertEqual(bound.sessionID, identifier)
        XCTAssertNotEqual(bound.sessionID, original.sessionID)
        XCTAssertEqual(bound.expiresAt, Self.start.addingTimeInterval(600))
        XCTAssertFalse(original.isDeviceBound)

        // The bearer cookie issued at sign-in, and any copy of it, no longer opens.
        XCTAssertNil(service.sessions.open(cookieHeader: bearer).session)
        XCTAssertTrue(service.events.all.contains(.registered(.es256)))

        // Nor can it register again (its ID is revoked), with the same proof or a new one.
        var thief = try SoftwareBrowser()
        thief.store([bearer])
        let again = await service.post(
            "/dbsc/register", thief, headers: ["Secure-Session-Response": try thief.proof(try XCTUnwrap(challenge(in: offer)), registration: true)])
        XCTAssertEqual(again.status, 401)
    }

    func testRefreshTakesA403RoundThenOneRoundTripWithPushedChallenges() async throws {
        let service = try await service()
        var (browser, _) = try await registered(service)
        let identifier = try XCTUnwrap(service.sessions.open(cookieHeader: browser.cookieHeader()).session?.sessionID)
        let idHeader = ["Sec-Secure-Session-Id": identifier]

        // Near the cookie's end the browser asks without a proof: 403 and a challenge for it.
        service.clock.now = Self.start.addingTimeInterval(500)
        let asked = await service.post("/dbsc/refresh", browser, headers: idHeader)
        XCTAssertEqual(asked.status, 403)
        let field = try XCTUnwrap(asked.header("Secure-Session-Challenge"))
        XCTAssertTrue(field.hasSuffix(#";id="\#(identifier)""#), field)
        let first = try XCTUnwrap(challenge(in: field))

        // Signed: a fresh cookie, and the next challenge pushed.
        let proof = try browser.proof(first, registration: false)
        let refreshed = await service.post(
            "/dbsc/refresh", browser, headers: idHeader.merging(["Secure-Session-Response": proof]) { $1 })
        XCTAssertEqual(refreshed.status, 200)
        XCTAssertEqual(refreshed.body, [], "an empty body keeps the session's configuration")
        browser.store(refreshed)
        let next = try XCTUnwrap(service.sessions.open(cookieHeader: browser.cookieHeader()).session)
        XCTAssertEqual(next.expiresAt, Self.start.addingTimeInterval(1100))
        XCTAssertEqual(next.sessionID, identifier)
        XCTAssertTrue(next.isDeviceBound)

        // The same proof again (a replay): the ticket has moved on, so it gets a new challenge only.
        let replay = await service.post(
            "/dbsc/refresh", browser, headers: idHeader.merging(["Secure-Session-Response": proof]) { $1 })
        XCTAssertEqual(replay.status, 403)

        // The pushed challenge: one round trip.
        service.clock.now = Self.start.addingTimeInterval(1000)
        let pushed = try XCTUnwrap(browser.pushedChallenge)
        let direct = await service.post(
            "/dbsc/refresh", browser,
            headers: idHeader.merging(["Secure-Session-Response": try browser.proof(pushed, registration: false)]) { $1 })
        XCTAssertEqual(direct.status, 200)
        browser.store(direct)
        XCTAssertEqual(
            service.sessions.open(cookieHeader: browser.cookieHeader()).session?.expiresAt,
            Self.start.addingTimeInterval(1600))

        // A pushed challenge past its lifetime (an idle browser): a fresh one, not an end.
        service.clock.now = Self.start.addingTimeInterval(1000 + 600 + 61 + 500)
        let stalePushed = try XCTUnwrap(browser.pushedChallenge)
        let late = await service.post(
            "/dbsc/refresh", browser,
            headers: ["Secure-Session-Response": try browser.proof(stalePushed, registration: false)])
        XCTAssertEqual(late.status, 403)
        XCTAssertNotNil(late.header("Secure-Session-Challenge"))
    }

    func testRSADevicesRefreshToo() async throws {
        let service = try await service()
        var (browser, _) = try await registered(service, rsa: true)
        XCTAssertTrue(service.events.all.contains(.registered(.rs256)))
        let proof = try browser.proof(try XCTUnwrap(browser.pushedChallenge), registration: false)
        let refreshed = await service.post("/dbsc/refresh", browser, headers: ["Secure-Session-Response": proof])
        XCTAssertEqual(refreshed.status, 200)
        browser.store(refreshed)
        XCTAssertEqual(service.sessions.open(cookieHeader: browser.cookieHeader()).subject, "alice")
    }

    /// What an infostealer takes: every cookie. The bound cookie works until it expires; the
    /// ticket gets a challenge but no cookie without the device's key.
    func testCopiedCookiesStopWorkingWithoutTheDeviceKey() async throws {
        let service = try await service()
        let (browser, _) = try await registered(service)
        var thief = try SoftwareBrowser()
        thief.jar = browser.jar
        thief.paths = browser.paths
        XCTAssertEqual(service.sessions.open(cookieHeader: thief.cookieHeader()).subject, "alice")

        service.clock.now = Self.start.addingTimeInterval(601)
        XCTAssertNil(service.sessions.open(cookieHeader: thief.cookieHeader()).session, "past the bound lifetime")

        let asked = await service.post("/dbsc/refresh", thief)
        XCTAssertEqual(asked.status, 403)
        let challenge = try XCTUnwrap(challenge(in: XCTUnwrap(asked.header("Secure-Session-Challenge"))))
        // Its own key, signed as a refresh, or as a registration carrying its key: refused.
        for registration in [false, true] {
            let forged = try thief.proof(challenge, registration: registration)
            let answer = await service.post("/dbsc/refresh", thief, headers: ["Secure-Session-Response": forged])
            XCTAssertEqual(answer.status, 401, "registration-style header: \(registration)")
            XCTAssertTrue(answer.setCookies.isEmpty)
        }
        XCTAssertEqual(service.events.all.last, .refreshRefused(.badSignature))
        // Nor can it register the ticket's session anew: it holds no bearer session.
        let register = await service.post(
            "/dbsc/register", thief, headers: ["Secure-Session-Response": try thief.proof(challenge, registration: true)])
        XCTAssertEqual(register.status, 401)
    }

    func testSignOutAndSignOutEverywhereReachABoundSessionAtItsRefresh() async throws {
        for everywhere in [false, true] {
            let service = try await service()
            var (browser, _) = try await registered(service)
            service.clock.now = Self.start.addingTimeInterval(1)
            let request = service.sessions.open(cookieHeader: browser.cookieHeader())
            let sessionID = try XCTUnwrap(request.session?.sessionID)
            try await request.signOut(revoking: everywhere ? .everywhere : .thisSession)
            XCTAssertEqual(request.responseHeaders().map(\.name), ["Clear-Site-Data"])
            XCTAssertTrue(
                request.responseSetCookies().contains { $0.hasPrefix("__Secure-dbsc-ticket=;") && $0.contains("Max-Age=0") },
                "the ticket is expired too: \(request.responseSetCookies())")
            XCTAssertEqual(request.responseHeaders().first?.value, #""cookies""#)
            XCTAssertEqual(service.events.all.last, .ended)

            // A copy of the cookies, refreshed later: the session ends cleanly.
            let proof = try browser.proof(try XCTUnwrap(browser.pushedChallenge), registration: false)
            let answer = await service.post("/dbsc/refresh", browser, headers: ["Secure-Session-Response": proof])
            XCTAssertEqual(answer.status, 200, "\(answer.headers)")
            XCTAssertEqual(try ended(answer), sessionID)
            XCTAssertEqual(answer.setCookies.count, 2)
            XCTAssertTrue(answer.setCookies.allSatisfy { $0.contains("Max-Age=0") })
            browser.store(answer)
            XCTAssertNil(browser.jar[service.sessions.policy.session.name])
        }
    }

    /// A store that cannot be read (the set stale) must not sign anyone out: 5xx makes the
    /// browser back off, where a 4xx would end the session.
    func testAStaleStoreAnswers503NeverA4xx() async throws {
        let service = try await service(staleAfter: .seconds(300))
        let (browser, _) = try await registered(service)
        service.clock.now = Self.start.addingTimeInterval(500)
        XCTAssertTrue(service.revocations.isStale)
        let proof = try browser.proof(try XCTUnwrap(browser.pushedChallenge), registration: false)
        let answer = await service.post("/dbsc/refresh", browser, headers: ["Secure-Session-Response": proof])
        XCTAssertEqual(answer.status, 503)
        XCTAssertEqual(service.events.all.last, .refreshed(.unavailable))
        _ = await service.revocations.reload()
        let again = await service.post("/dbsc/refresh", browser, headers: ["Secure-Session-Response": proof])
        XCTAssertEqual(again.status, 200, "the same proof works once the store answers")
    }

    /// The session identifier of a `{"session_identifier":…,"continue":false}` answer, which
    /// Chromium needs to end the session cleanly; nil for any other answer.
    func ended(_ answer: DeviceBindingResponse) throws -> String? {
        guard answer.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
            json["continue"] as? Bool == false, json.count == 2
        else { return nil }
        return json["session_identifier"] as? String
    }

    /// One refresh the way Chromium makes it without a cached challenge: 403, then signed.
    func refresh(_ service: Service, _ browser: inout SoftwareBrowser) async throws -> DeviceBindingResponse {
        let asked = await service.post("/dbsc/refresh", browser)
        guard asked.status == 403 else { return asked }
        let field = try XCTUnwrap(asked.header("Secure-Session-Challenge"))
        let proof = try browser.proof(try XCTUnwrap(challenge(in: field)), registration: false)
        let answer = await service.post("/dbsc/refresh", browser, headers: ["Secure-Session-Response": proof])
        browser.store(answer)
        return answer
    }

    /// The bound cookie never outlives the session's absolute lifetime, and past it the
    /// session ends; a ticket unused for its lifetime (30 days, like a bearer cookie) ends too.
    func testTheAbsoluteLifetimeEndsABoundSession() async throws {
        let service = try await service()
        var (browser, _) = try await registered(service)
        let limit = SessionSealer.defaultAbsoluteLifetime
        for day in [25.0, 50, 75] {
            service.clock.now = Self.start.addingTimeInterval(day * 86_400)
            let answer = try await refresh(service, &browser)
            XCTAssertEqual(answer.status, 200, "day \(day)")
        }
        service.clock.now = Self.start.addingTimeInterval(limit - 100)
        let capped = try await refresh(service, &browser)
        XCTAssertEqual(capped.status, 200)
        XCTAssertEqual(
            service.sessions.open(cookieHeader: browser.cookieHeader()).session?.expiresAt,
            Self.start.addingTimeInterval(limit), "capped at the absolute lifetime")
        service.clock.now = Self.start.addingTimeInterval(limit + 1)
        let identifier = try XCTUnwrap(service.sessions.open(cookieHeader: browser.cookieHeader(), at: service.clock.now.addingTimeInterval(-2)).session?.sessionID)
        let over = await service.post("/dbsc/refresh", browser, headers: ["Sec-Secure-Session-Id": identifier])
        XCTAssertEqual(try ended(over), identifier)

        // Idle for longer than a ticket lives: ended as well.
        let idle = try await self.service()
        let (idleBrowser, _) = try await registered(idle)
        idle.clock.now = Self.start.addingTimeInterval(SessionSealer.defaultLifetime + 1)
        // (Chromium names its session; without the name there is nothing to end cleanly: 401.)
        let named = await idle.post("/dbsc/refresh", idleBrowser, headers: ["Sec-Secure-Session-Id": "abc"])
        XCTAssertEqual(try ended(named), "abc")
        let unnamed = await idle.post("/dbsc/refresh", idleBrowser)
        XCTAssertEqual(unnamed.status, 401)
    }

    func testRegistrationRefusesWhatItMust() async throws {
        let service = try await service()
        var browser = try SoftwareBrowser()
        let signIn = service.sessions.open(cookieHeader: nil)
        try signIn.signIn(subject: "alice")
        browser.store(signIn.responseSetCookies())
        let offer = try XCTUnwrap(signIn.responseHeaders().first?.value)
        let good = try XCTUnwrap(challenge(in: offer))

        // Another session's registration challenge.
        let other = service.sessions.open(cookieHeader: nil)
        try other.signIn(subject: "alice")
        let foreign = try XCTUnwrap(challenge(in: XCTUnwrap(other.responseHeaders().first?.value)))
        var answer = await service.post(
            "/dbsc/register", browser, headers: ["Secure-Session-Response": try browser.proof(foreign, registration: true)])
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(service.events.all.last, .registrationRefused(.badChallenge))

        // A refresh challenge cannot register, nor can an expired registration challenge.
        service.clock.now = Self.start.addingTimeInterval(661)
        answer = await service.post(
            "/dbsc/register", browser, headers: ["Secure-Session-Response": try browser.proof(good, registration: true)])
        XCTAssertEqual(answer.status, 400, "the offer's challenge has expired")
        service.clock.now = Self.start

        // No proof; a proof without its key; alg none; typ JWT.
        answer = await service.post("/dbsc/register", browser)
        XCTAssertEqual(answer.status, 400)
        for proof in [
            try browser.proof(good, registration: false), try browser.proof(good, registration: true, alg: "none"),
            try browser.proof(good, registration: true, typ: "JWT"),
        ] {
            answer = await service.post("/dbsc/register", browser, headers: ["Secure-Session-Response": proof])
            XCTAssertEqual(answer.status, 400)
        }
        // No session cookie at all.
        answer = await service.post(
            "/dbsc/register", try SoftwareBrowser(), headers: ["Secure-Session-Response": try browser.proof(good, registration: true)])
        XCTAssertEqual(answer.status, 401)
        // Nothing was bound: the bearer cookie still opens.
        XCTAssertEqual(service.sessions.open(cookieHeader: browser.cookieHeader()).subject, "alice")
        // And the good proof still registers.
        answer = await service.post(
            "/dbsc/register", browser, headers: ["Secure-Session-Response": try browser.proof(good, registration: true)])
        XCTAssertEqual(answer.status, 200)
    }

    func testOnlyPOSTToTheTwoPathsIsTakenAndOnlyWithRevocationsAndTheNativeFormat() async throws {
        let service = try await service()
        let browser = try SoftwareBrowser()
        let get = await service.binding.respond(method: "GET", path: "/dbsc/refresh", header: { _ in nil }, configuration: service.sessions)
        XCTAssertEqual(get?.status, 405)
        let elsewhere = await service.binding.respond(method: "POST", path: "/account", header: { _ in nil }, configuration: service.sessions)
        XCTAssertNil(elsewhere)

        let keys = try KeyRingProvider(source: .custom { Self.spec })
        let unrevocable = SessionConfiguration(keys: keys, deviceBinding: service.binding)
        let signIn = unrevocable.open(cookieHeader: nil)
        try signIn.signIn(subject: "alice")
        XCTAssertEqual(signIn.responseHeaders().count, 0, "no registration offered without revocations")
        let answer = await service.binding.respond(
            method: "POST", path: "/dbsc/register", header: { _ in browser.cookieHeader() }, configuration: unrevocable)
        XCTAssertEqual(answer?.status, 404)
        // Without a binding, nothing is offered at all.
        let plain = SessionConfiguration(keys: keys).open(cookieHeader: nil)
        try plain.signIn(subject: "alice")
        XCTAssertTrue(plain.responseHeaders().isEmpty)
    }

    func testConfigurationLimits() throws {
        for lifetime in [120.0, 60, 0, -1, .nan, .infinity, 86_401] {
            XCTAssertThrowsError(try DeviceBinding.deviceBound(origin: "https://a.example", cookieLifetime: lifetime))
        }
        XCTAssertNoThrow(try DeviceBinding.deviceBound(origin: "https://a.example", cookieLifetime: 121))
        for origin in ["http://a.example", "https://a.example/path", "a.example", "https://", "https://a.example?q"] {
            XCTAssertThrowsError(try DeviceBinding.deviceBound(origin: origin), origin)
        }
        XCTAssertNoThrow(try DeviceBinding.deviceBound(origin: "http://localhost:8080"))
        XCTAssertThrowsError(try DeviceBinding.deviceBound(origin: "https://a.example", algorithms: []))
        XCTAssertThrowsError(try DeviceBinding.deviceBound(origin: "https://a.example", registrationPath: "dbsc"))
        XCTAssertThrowsError(
            try DeviceBinding.deviceBound(origin: "https://a.example", registrationPath: "/x", refreshPath: "/x"))
        XCTAssertThrowsError(try DeviceBinding.deviceBound(origin: "https://a.example", refreshPath: "/a\"b"))
    }

    func testSkippedRefreshesAreCounted() async throws {
        let service = try await service()
        service.binding.observeSkipped(#"unreachable;session_identifier="abc""#)
        service.binding.observeSkipped("server_error")
        service.binding.observeSkipped("something_new")
        service.binding.observeSkipped("((not a field")
        service.binding.observeSkipped(nil)
        XCTAssertEqual(
            service.events.all,
            [.skipped(reason: "unreachable"), .skipped(reason: "server_error"), .skipped(reason: "other")])
    }
}

extension DeviceBindingResponse {
    /// What a test reports when the binding did not take the request.
    static let notHandled = DeviceBindingResponse(status: -1, headers: [], body: [])
}
