#if Metrics
import DeviceBoundTestSupport
import Foundation
import MetricsTestKit
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenRevocation
import XCTest

/// Registrations, refreshes by outcome, challenges, skips and ends, counted from a real round.
final class DeviceBoundMetricsTests: XCTestCase {
    func testARoundIsCounted() async throws {
        let metrics = TestMetrics()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let keys = try KeyRingProvider(source: .custom { DeviceBoundFlowTests.spec })
        let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { now })
        try await revocations.start()
        let binding = try DeviceBinding.deviceBound(
            origin: "https://localhost", onEvent: DeviceBoundMetrics(factory: metrics).record)
        let sessions = SessionConfiguration(keys: keys, clock: { now }, revocations: revocations, deviceBinding: binding)
        var browser = try SoftwareBrowser()
        func post(_ path: String, _ headers: [String: String] = [:]) async -> DeviceBindingResponse? {
            let cookie = browser.cookieHeader(path: path)
            return await binding.respond(
                method: "POST", path: path[...], header: { $0 == "Cookie" ? cookie : headers[$0] }, configuration: sessions)
        }

        let signIn = sessions.open(cookieHeader: nil)
        try signIn.signIn(subject: "alice")
        browser.store(signIn.responseSetCookies())
        let offer = try XCTUnwrap(signIn.responseHeaders().first?.value)
        let registered = await post("/dbsc/register", ["Secure-Session-Response": try browser.proof(XCTUnwrap(challenge(in: offer)), registration: true)])
        browser.store(try XCTUnwrap(registered))
        _ = await post("/dbsc/refresh")  // 403
        _ = await post("/dbsc/refresh", ["Secure-Session-Response": try SoftwareBrowser().proof("x", registration: false)])
        let refreshed = await post("/dbsc/refresh", ["Secure-Session-Response": try browser.proof(XCTUnwrap(browser.pushedChallenge), registration: false)])
        XCTAssertEqual(refreshed?.status, 200)
        binding.observeSkipped("quota_exceeded")

        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_registrations_total", dimensions: [("result", "ok"), ("alg", "ES256")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_refreshes_total", dimensions: [("outcome", "challenged")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_refreshes_total", dimensions: [("outcome", "refused_bad_signature")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_refreshes_total", dimensions: [("outcome", "refreshed")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_challenges_total", dimensions: [("pushed", "true")]), 2)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_challenges_total", dimensions: [("pushed", "false")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_skipped_total", dimensions: [("reason", "quota_exceeded")]), 1)

        let request = sessions.open(cookieHeader: browser.cookieHeader())
        try request.signOut()
        XCTAssertEqual(metrics.counterTotal(label: "session_token_dbsc_ended_total"), 1)
    }
}
#endif
