#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenNextAuth
import SessionTokenTestSupport
import XCTest

/// next-auth's own cookies (the committed vectors, made by joserfc and cryptography) through the
/// middleware configured with a next-auth secret.
final class NextAuthSessionTests: XCTestCase {
    struct Vector: Decodable {
        let id: String
        let format: String
        let secrets: [String]
        let now: Double
        let token: String
        let expect: String
        let claims: [String: JSONAny]?
    }

    /// Any JSON value; only `sub` is read.
    struct JSONAny: Decodable {
        let string: String?
        init(from decoder: any Decoder) throws {
            string = try? decoder.singleValueContainer().decode(String.self)
        }
    }

    static func vectors() throws -> [Vector] {
        struct File: Decodable { let vectors: [Vector] }
        return try VectorFiles.load("nextauth/nextauth-vectors.json", as: File.self).vectors
    }

    func testNextAuthCookiesOpenThroughTheMiddlewareChunkedOrNot() async throws {
        let vectors = try Self.vectors()
        XCTAssertGreaterThan(vectors.count, 40)
        var opened = 0
        var refused = 0
        for vector in vectors {
            let format: NextAuthFormat = vector.format == "v4" ? .v4 : .v5(cookieName: vector.format)
            guard let codec = try? NextAuthCodec(secrets: vector.secrets, format: format) else { continue }
            // The policy's session cookie is the one the format names (v5: the HKDF salt).
            let name = vector.format == "v4" ? "next-auth.session-token" : vector.format
            let base = vector.format == "v4" ? CookiePolicy.nextAuthV4(secure: false) : CookiePolicy.authJSV5(secure: false)
            var session = base.session
            session.name = name
            session.secure = name.hasPrefix("__Secure-")
            let policy = try CookiePolicy(
                session: session, csrf: base.csrf, callbackURL: base.callbackURL, consent: base.consent)
            let clock = TestClock(Date(timeIntervalSince1970: vector.now))
            let configuration = try makeConfiguration(spec: MutableSpec(Fixture.key1), clock: clock, policy: policy, nextAuth: codec)
            let app = Application(router: try makeRouter(configuration: configuration))
            let subject = vector.claims?["sub"]?.string
            // Whole, and in chunks of 100 characters as next-auth splits a long token.
            let chunks = stride(from: 0, to: vector.token.count, by: 100).enumerated().map { index, start in
                "\(name).\(index)=\(vector.token.dropFirst(start).prefix(100))"
            }
            for header in ["\(name)=\(vector.token)", chunks.joined(separator: "; ")] {
                try await app.test(.router) { client in
                    try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: header]) { response in
                        if vector.expect == "valid", let subject {
                            XCTAssertEqual(response.status, .ok, vector.id)
                            XCTAssertEqual(String(buffer: response.body), subject, vector.id)
                        } else {
                            XCTAssertEqual(response.status, .unauthorized, vector.id)
                        }
                        XCTAssertNotEqual(response.status, .internalServerError, vector.id)
                    }
                }
            }
            if vector.expect == "valid", subject != nil { opened += 1 } else { refused += 1 }
        }
        XCTAssertGreaterThanOrEqual(refused, opened, "at least as many failing cases as valid ones")
        XCTAssertGreaterThan(opened, 10)
    }

    func testSignInWritesACookieNextAuthReads() async throws {
        let codec = try NextAuthCodec(secrets: ["a next-auth secret for this test"], format: .v4)
        let clock = TestClock(Fixture.start)
        let configuration = try makeConfiguration(spec: MutableSpec(Fixture.key1), clock: clock, nextAuth: codec)
        let app = Application(router: try makeRouter(configuration: configuration))
        try await app.test(.router) { client in
            let session = try await SessionMiddlewareTests.signIn(client, user: "user-42")
            let token = String(session.split(separator: "=", maxSplits: 1)[1])
            XCTAssertEqual(try codec.decode(token, at: Fixture.start).subject, "user-42", "next-auth's format")
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) {
                XCTAssertEqual(String(buffer: $0.body), "user-42")
                XCTAssertEqual($0.headers.setCookies, [])
            }
            // Older than updateAge: re-encoded with a new expiry, as next-auth's session endpoint does.
            clock.now = Fixture.start.addingTimeInterval(SessionSealer.defaultUpdateAge + 1)
            try await client.execute(uri: "/account/me", method: .get, headers: [.cookie: session]) { response in
                XCTAssertEqual(response.headers.setCookies.count, 1)
                let fresh = String(cookieHeader(from: response.headers.setCookies).split(separator: "=", maxSplits: 1)[1])
                let claims = try codec.decode(fresh, at: clock.now)
                XCTAssertEqual(claims.subject, "user-42")
                XCTAssertEqual(claims.expiresAt.timeIntervalSince1970, clock.now.timeIntervalSince1970.rounded(.down) + codec.maxAge)
            }
        }
    }
}
#endif
