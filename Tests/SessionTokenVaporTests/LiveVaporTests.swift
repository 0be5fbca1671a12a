#if Vapor
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SessionToken
import SessionTokenHTTP
import SessionTokenNextAuth
import SessionTokenVapor
import Vapor
import SessionTokenTestSupport
import XCTest

/// One visit against a Vapor server listening on a loopback port, driven by AsyncHTTPClient
/// with redirects not followed: sign in, an authorised request, tampered and expired cookies,
/// key rotation mid-run, CSRF missing and wrong, an open-redirect payload, a 64 KiB `Cookie`
/// header, and a cookie in next-auth's own format.
final class LiveVaporTests: XCTestCase {
    struct Reply {
        let status: Int
        let body: String
        let setCookies: [String]
        let location: String?
    }

    func testAVisitOverRealHTTP() async throws {
        let spec = MutableSpec(Fixture.key1)
        let clock = TestClock(Fixture.start)
        let configuration = try makeConfiguration(spec: spec, clock: clock)
        let app = try await Application.make(.testing)
        try configure(app, configuration: configuration)
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        var settings = HTTPClient.Configuration()
        settings.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)

        func send(_ path: String, _ method: NIOHTTP1.HTTPMethod = .GET, cookie: String? = nil, form: String? = nil)
            async throws -> Reply
        {
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
                status: Int(response.status.code), body: String(buffer: body), setCookies: response.headers["Set-Cookie"],
                location: response.headers.first(name: "Location"))
        }

        do {
            let page = try await send("/form")
            let csrfCookie = cookieHeader(from: page.setCookies)
            XCTAssertTrue(csrfCookie.hasPrefix("__Host-next-auth.csrf-token="))
            for form in ["user=ada", "user=ada&csrfToken=\(String(repeating: "0", count: 64))"] {
                let refused = try await send("/signin", .POST, cookie: csrfCookie, form: form)
                XCTAssertEqual(refused.status, 403)
                XCTAssertEqual(refused.setCookies, [])
            }
            let signIn = try await send(
                "/signin?callbackUrl=%2F%2Fevil.example", .POST, cookie: csrfCookie, form: "user=ada&csrfToken=\(page.body)")
            XCTAssertEqual(signIn.status, 303)
            XCTAssertEqual(signIn.location, "https://app.example.com")
            let session = cookieHeader(from: signIn.setCookies)
            let me = try await send("/account/me", cookie: session)
            XCTAssertEqual(me.body, "ada")
            let anonymous = try await send("/account/me")
            XCTAssertEqual(anonymous.status, 401)
            let tampered = String(session.dropLast(2)) + (session.hasSuffix("AA") ? "BB" : "AA")
            let tamperedReply = try await send("/account/me", cookie: tampered)
            XCTAssertEqual(tamperedReply.status, 401)
            let huge = try await send("/account/me", cookie: session + "; " + String(repeating: "a=b; ", count: 13_200))
            XCTAssertEqual(huge.status, 401, "read by the server; refused by the middleware")

            spec.value = "\(Fixture.key2),\(Fixture.key1)"
            try configuration.keys.reload()
            let rotated = try await send("/account/me", cookie: session)
            XCTAssertEqual(rotated.status, 200)
            XCTAssertEqual(rotated.setCookies.count, 1)
            let fresh = try await send("/account/me", cookie: cookieHeader(from: rotated.setCookies))
            XCTAssertEqual(fresh.setCookies, [])

            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultLifetime + 1)
            let expired = try await send("/account/me", cookie: session)
            XCTAssertEqual(expired.status, 401)
        } catch {
            XCTFail("\(error)")
        }
        try await http.shutdown()
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    func testANextAuthCookieMadeByNextAuthsFormat() async throws {
        struct Vector: Decodable { let id: String; let secrets: [String]; let now: Double; let token: String }
        struct File: Decodable { let vectors: [Vector] }
        let vector = try XCTUnwrap(
            try VectorFiles.load("nextauth/nextauth-vectors.json", as: File.self).vectors.first { $0.id == "v4-basic" })
        let codec = try NextAuthCodec(secrets: vector.secrets, format: .v4)
        let configuration = try makeConfiguration(
            spec: MutableSpec(Fixture.key1), clock: TestClock(Date(timeIntervalSince1970: vector.now)),
            policy: .nextAuthV4(secure: false), nextAuth: codec)
        let app = try await Application.make(.testing)
        try configure(app, configuration: configuration)
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            for (token, expected) in [(vector.token, "200 user-42"), (String(vector.token.dropLast(4)) + "AAAA", "401 ")] {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/account/me")
                request.headers.add(name: "Cookie", value: "next-auth.session-token=\(token)")
                let response = try await http.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 16)
                let text = response.status.code == 200 ? String(buffer: body) : ""
                XCTAssertEqual("\(response.status.code) \(text)", expected)
            }
        } catch {
            XCTFail("\(error)")
        }
        try await http.shutdown()
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
#endif
