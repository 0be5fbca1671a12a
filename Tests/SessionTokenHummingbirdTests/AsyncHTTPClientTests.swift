#if Hummingbird
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// One visit, start to end, against a server on a loopback port, driven by AsyncHTTPClient as
/// another service or a browser would: sign in, an authorised request, a tampered and an
/// expired cookie, re-issue, key rotation mid-run, CSRF missing and wrong, open-redirect
/// payloads, a 64 KiB `Cookie` header, and a cookie made by next-auth's own format.
final class AsyncHTTPClientTests: XCTestCase {
    struct Reply {
        let status: Int
        let body: String
        let setCookies: [String]
        let location: String?
    }

    /// A request with redirects not followed, so the sign-in's 303 and its `Location` are seen.
    static func send(
        _ http: HTTPClient, port: Int, _ path: String, method: NIOHTTP1.HTTPMethod = .GET, cookie: String? = nil,
        form: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(
            status: Int(response.status.code), body: String(buffer: body),
            setCookies: response.headers["Set-Cookie"], location: response.headers.first(name: "Location"))
    }

    func testAVisitOverRealHTTP() async throws {
        let spec = MutableSpec(Fixture.key1)
        let clock = TestClock(Fixture.start)
        let configuration = try makeConfiguration(spec: spec, clock: clock)
        let app = Application(router: try makeRouter(configuration: configuration))
        var settings = HTTPClient.Configuration()
        settings.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        defer { _ = http.shutdown() }
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            func send(_ path: String, _ method: NIOHTTP1.HTTPMethod = .GET, cookie: String? = nil, form: String? = nil)
                async throws -> Reply
            { try await Self.send(http, port: port, path, method: method, cookie: cookie, form: form) }

            // CSRF: the form page hands out a token and its cookie.
            let page = try await send("/form")
            let csrfCookie = cookieHeader(from: page.setCookies)
            XCTAssertTrue(csrfCookie.hasPrefix("__Host-next-auth.csrf-token="))
            // Missing and wrong tokens: 403, nobody signed in.
            for form in ["user=ada", "user=ada&csrfToken=\(String(repeating: "0", count: 64))"] {
                let refused = try await send("/signin", .POST, cookie: csrfCookie, form: form)
                XCTAssertEqual(refused.status, 403)
                XCTAssertEqual(refused.setCookies, [])
            }
            // Sign in, with an off-site callback: sent to the origin instead.
            let signIn = try await send(
                "/signin?callbackUrl=https%3A%2F%2Fevil.example%2F", .POST, cookie: csrfCookie,
                form: "user=ada&csrfToken=\(page.body)")
            XCTAssertEqual(signIn.status, 303)
            XCTAssertEqual(signIn.location, "https://app.example.com")
            let session = cookieHeader(from: signIn.setCookies)
            let me = try await send("/account/me", cookie: session)
            XCTAssertEqual(me.body, "ada")
            let anonymous = try await send("/account/me")
            XCTAssertEqual(anonymous.status, 401)

            // Tampered, and a 64 KiB header: signed out, never a 500.
            let tampered = String(session.dropLast(2)) + (session.hasSuffix("AA") ? "BB" : "AA")
            let tamperedReply = try await send("/account/me", cookie: tampered)
            XCTAssertEqual(tamperedReply.status, 401)
            let huge = try await send("/account/me", cookie: session + "; " + String(repeating: "a=b; ", count: 13_200))
            XCTAssertEqual(huge.status, 401, "the server reads it; the middleware refuses the header and signs nobody in")

            // Rotation mid-run: k2 primary, k1 accepted; the old cookie opens and is re-issued.
            spec.value = "\(Fixture.key2),\(Fixture.key1)"
            try configuration.keys.reload()
            let rotated = try await send("/account/me", cookie: session)
            XCTAssertEqual(rotated.status, 200)
            XCTAssertEqual(rotated.setCookies.count, 1)
            let replacement = cookieHeader(from: rotated.setCookies)
            let fresh = try await send("/account/me", cookie: replacement)
            XCTAssertEqual(fresh.setCookies, [], "fresh: nothing re-issued")

            // Expired: signed out.
            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 1)
            let expired = try await send("/account/me", cookie: session)
            XCTAssertEqual(expired.status, 401)
        }
    }

    func testANextAuthCookieMadeByNextAuthsFormat() async throws {
        let vector = try XCTUnwrap(NextAuthSessionTests.vectors().first { $0.id == "v4-basic" })
        let codec = try NextAuthCodec(secrets: vector.secrets, format: .v4)
        let clock = TestClock(Date(timeIntervalSince1970: vector.now))
        let configuration = try makeConfiguration(
            spec: MutableSpec(Fixture.key1), clock: clock, policy: .nextAuthV4(secure: false), nextAuth: codec)
        let app = Application(router: try makeRouter(configuration: configuration))
        var settings = HTTPClient.Configuration()
        settings.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        defer { _ = http.shutdown() }
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let reply = try await Self.send(http, port: port, "/account/me", cookie: "next-auth.session-token=\(vector.token)")
            XCTAssertEqual(reply.status, 200)
            XCTAssertEqual(reply.body, "user-42")
            let forged = try await Self.send(
                http, port: port, "/account/me", cookie: "next-auth.session-token=\(vector.token.dropLast(4))AAAA")
            XCTAssertEqual(forged.status, 401)
        }
    }
}
#endif
