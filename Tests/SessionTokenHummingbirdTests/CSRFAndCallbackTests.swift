#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenTestSupport
import XCTest

/// CSRF, sign-out and callback URLs, each test through the router client and a live server.
final class CSRFAndCallbackTests: XCTestCase {
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        for setup in testingSetups {
            let configuration = try makeConfiguration(spec: MutableSpec(Fixture.key1), clock: TestClock(Fixture.start))
            try await Application(router: try makeRouter(configuration: configuration)).test(setup, body)
        }
    }

    func testUnsafeMethodsWithoutAValidTokenAre403() async throws {
        try await test { client in
            let (token, cookie) = try await SessionMiddlewareTests.csrf(client)
            let (otherToken, otherCookie) = try await SessionMiddlewareTests.csrf(client)
            XCTAssertNotEqual(token, otherToken, "a visitor without a CSRF cookie gets a fresh token")
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let refused: [(cookie: String?, body: String, header: String?)] = [
                (nil, "user=a", nil),  // neither
                (cookie, "user=a", nil),  // cookie, no token
                (nil, "csrfToken=\(token)", nil),  // token, no cookie
                (cookie, "csrfToken=\(otherToken)", nil),  // another visitor's token
                (otherCookie, "csrfToken=\(token)", nil),
                (cookie, "csrfToken=\(token)&csrfToken=\(token)", nil),  // ambiguous
                (cookie, "csrfToken=\(token.dropLast())", nil),
                (cookie, "user=a", String(token.dropFirst())),
                (cookie, "", "\(token)0"),
            ]
            for (index, attempt) in refused.enumerated() {
                var headers = form
                if let cookie = attempt.cookie { headers[.cookie] = cookie }
                if let header = attempt.header { headers[HTTPField.Name("X-CSRF-Token")!] = header }
                try await client.execute(uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: attempt.body)) {
                    XCTAssertEqual($0.status, .forbidden, "attempt \(index)")
                    XCTAssertEqual($0.headers.setCookies, [], "attempt \(index) signs nobody in")
                }
            }
            for method in [HTTPRequest.Method.put, .delete, .patch] {
                try await client.execute(uri: "/signin", method: method, headers: [.cookie: cookie]) {
                    XCTAssertEqual($0.status, .forbidden, "\(method)")
                }
            }
            // The header, and the form field; the handler still reads the form after the check.
            try await client.execute(
                uri: "/signin", method: .post, headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: token]
            ) { XCTAssertEqual($0.status, .seeOther) }
            try await client.execute(
                uri: "/signin", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrfToken=\(token)&user=grace")
            ) { response in
                XCTAssertEqual(response.status, .seeOther)
                let session = cookieHeader(from: response.headers.setCookies)
                try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                    XCTAssertEqual(String(buffer: $0.body), "grace")
                }
            }
        }
    }

    func testATokenIsBoundToTheSession() async throws {
        try await test { client in
            let session = try await SessionMiddlewareTests.signIn(client, user: "ada")
            // The signed-out visitor's token does not serve the signed-in session.
            let (anonymous, anonymousCookie) = try await SessionMiddlewareTests.csrf(client)
            try await client.execute(
                uri: "/signout", method: .post,
                headers: [.cookie: "\(session); \(anonymousCookie)", HTTPField.Name("X-CSRF-Token")!: anonymous]
            ) { XCTAssertEqual($0.status, .forbidden) }
            // The session's own token does; the form page keeps handing out the same one.
            let (token, cookies) = try await SessionMiddlewareTests.csrf(client, cookies: session)
            let again = try await SessionMiddlewareTests.csrf(client, cookies: cookies)
            XCTAssertEqual(again.token, token)
            XCTAssertEqual(again.cookie, cookies, "no new CSRF cookie while the old one is valid")
            // Another user's session with the same CSRF cookie is refused.
            let grace = try await SessionMiddlewareTests.signIn(client, user: "grace")
            let csrfCookie = cookies.replacingOccurrences(of: session, with: "").trimmingCharacters(in: CharacterSet(charactersIn: "; "))
            try await client.execute(
                uri: "/signout", method: .post,
                headers: [.cookie: "\(grace); \(csrfCookie)", HTTPField.Name("X-CSRF-Token")!: token]
            ) { XCTAssertEqual($0.status, .forbidden) }
            try await client.execute(
                uri: "/signout", method: .post, headers: [.cookie: cookies, HTTPField.Name("X-CSRF-Token")!: token]
            ) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers.setCookies, [
                    "__Host-next-auth.session-token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
                ])
            }
        }
    }

    func testSignOutExpiresEveryChunk() async throws {
        try await test { client in
            let (token, cookie) = try await SessionMiddlewareTests.csrf(client)
            let lines = try await client.execute(
                uri: "/signin-large", method: .post, headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: token]
            ) { response in
                XCTAssertEqual(response.status, .ok)
                return response.headers.setCookies
            }
            // About 8 KB of token: three chunks of at most 3933 characters.
            XCTAssertEqual(lines.map { String($0.prefix { $0 != "=" }) }, (0..<3).map { "__Host-next-auth.session-token.\($0)" })
            let session = cookieHeader(from: lines)
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual(String(buffer: $0.body), "user-1", "the chunks join")
            }
            let (signedInToken, cookies) = try await SessionMiddlewareTests.csrf(client, cookies: session)
            try await client.execute(
                uri: "/signout", method: .post, headers: [.cookie: cookies, HTTPField.Name("X-CSRF-Token")!: signedInToken]
            ) { response in
                XCTAssertEqual(response.headers.setCookies, (0..<3).map {
                    "__Host-next-auth.session-token.\($0)=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
                })
            }
        }
    }

    func testCallbackURLsNeverRedirectOffSite() async throws {
        let cases: [(String, String)] = [
            ("%2Finbox%3Fx%3D1", "https://app.example.com/inbox?x=1"),
            ("https%3A%2F%2Fapp.example.com%2Fa", "https://app.example.com/a"),
            ("https%3A%2F%2FAPP.example.com%3A443%2Fa", "https://app.example.com/a"),
            ("%2F%2Fevil.example%2F", "https://app.example.com"),
            ("https%3A%2F%2Fevil.example%2F", "https://app.example.com"),
            ("%5C%5Cevil.example", "https://app.example.com"),
            ("%2F%5Cevil.example", "https://app.example.com"),
            ("javascript%3Aalert(1)", "https://app.example.com"),
            ("https%3A%2F%2Fapp.example.com%40evil.example", "https://app.example.com"),
            ("https%3Aevil.example", "https://app.example.com"),
            ("%2F%0D%0ASet-Cookie%3A%20x%3D1", "https://app.example.com"),
            ("https%3A%2F%2Fapp.example.com.evil.example", "https://app.example.com"),
            ("", "https://app.example.com"),
        ]
        try await test { client in
            let (token, cookie) = try await SessionMiddlewareTests.csrf(client)
            for (payload, expected) in cases {
                try await client.execute(
                    uri: "/signin?callbackUrl=\(payload)", method: .post,
                    headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: token]
                ) { XCTAssertEqual($0.headers[.location], expected, payload) }
            }
            try await client.execute(
                uri: "/signin", method: .post, headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: token]
            ) { XCTAssertEqual($0.headers[.location], "https://app.example.com", "no parameter: the origin") }
        }
    }
}
#endif
