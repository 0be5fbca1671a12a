import BenchSupport
import Benchmark
import Foundation
import SessionCookies
import SessionToken
import SessionTokenNextAuth

// next-auth's cookies, decoded on every request of the product's backend: v4 (A256GCM) and v5
// (A256CBC-HS512) decode and encode, CSRF verification in next-auth's and the library's format,
// and a chunked 8 KiB cookie joined and decoded. The two decode targets are paired with a
// native `open` of the core's fixture token in the same samples.

let block = 200
let ratioMetric = Pairing.ratioMetric()

/// The claims next-auth's default `jwt` callback writes, for a typical user.
let claims = NextAuthClaims(
    name: "Ada Lovelace", email: "ada@example.com", picture: "https://example.com/avatars/ada.png",
    subject: Fixtures.subject, expiresAt: Fixtures.sealedAt)
let secret = "bench-nextauth-secret-0123456789abcdef"
let v4 = try! NextAuthCodec(secrets: [secret], format: .v4)
let v5 = try! NextAuthCodec(secrets: [secret], format: .v5(secure: true))
let tokenV4 = try! v4.encode(claims, at: Fixtures.sealedAt)
let tokenV5 = try! v5.encode(claims, at: Fixtures.sealedAt)
let now = Fixtures.openedAt

/// A token of about 8 KiB (a `jwt` callback that stores a large profile), as the Cookie
/// header a browser sends: three chunks beside two other cookies.
struct Padded: Encodable {
    var name = claims.name, email = claims.email, picture = claims.picture, sub = claims.subject
    var profile = String(repeating: "x", count: 5_800)
}
let chunkedToken = try! v4.encode(Padded(), at: Fixtures.sealedAt)
let cookie = try! NextAuthCookie(format: .v4, secure: true)
let chunkedHeader: String = {
    let pairs = cookie.chunks(of: chunkedToken).map { "\($0.name)=\($0.value)" }
    return (["theme=dark"] + pairs + ["next-auth.callback-url=%2Faccount"]).joined(separator: "; ")
}()

let benchmarks: @Sendable () -> Void = {
    print("NextAuth: v4 token \(tokenV4.utf8.count) B, v5 token \(tokenV5.utf8.count) B, "
        + "chunked token \(chunkedToken.utf8.count) B in \(cookie.chunks(of: chunkedToken).count) chunks")
    precondition(chunkedToken.utf8.count > 8_000 && chunkedToken.utf8.count <= 8_192)

    for (name, codec, token) in [("v4", v4, tokenV4), ("v5", v5, tokenV5)] {
        precondition((try? codec.decode(token, at: now)) != nil)
        Benchmark("nextauth \(name) decode", configuration: Suite.perOp()) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try codec.decode(token, at: now)) }
        }
        Benchmark("nextauth \(name) encode", configuration: Suite.perOp()) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try codec.encode(claims, at: Fixtures.sealedAt)) }
        }
        Benchmark("paired nextauth \(name) decode / open", configuration: Pairing.configuration()) { benchmark in
            let sealer = Fixtures.sealer1, native = Fixtures.token
            for _ in benchmark.scaledIterations {
                benchmark.measurement(
                    ratioMetric,
                    Pairing.ratio(
                        base: { for _ in 0..<block { blackHole(try? sealer.open(native, at: now)) } },
                        subject: { for _ in 0..<block { blackHole(try? codec.decode(token, at: now)) } }))
            }
        }
    }

    Benchmark("nextauth chunked 8 KiB join + decode", configuration: Suite.perOp()) { benchmark in
        precondition(cookie.token(fromCookieHeader: chunkedHeader) == chunkedToken)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            guard let token = cookie.token(fromCookieHeader: chunkedHeader) else { fatalError("no token") }
            blackHole(try v4.decode(token, at: now))
        }
    }

    // CSRF: next-auth's `token|sha256(token + secret)` as the browser sends it (`%7C`), and the
    // library's session-bound HMAC form.
    let nextAuthCSRF = try! NextAuthCSRF(secret: secret)
    let csrfToken = nextAuthCSRF.makeToken()
    let csrfCookie = nextAuthCSRF.cookieValue(for: csrfToken).replacingOccurrences(of: "|", with: "%7C")
    Benchmark("csrf verify nextauth", configuration: Suite.perOp()) { benchmark in
        precondition(nextAuthCSRF.verify(cookieValue: csrfCookie, submitted: csrfToken))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(nextAuthCSRF.verify(cookieValue: csrfCookie, submitted: csrfToken)) }
    }
    let signedCSRF = SignedCSRF(key: Fixtures.key(0))
    let sessionID = "jti-0123456789abcdef"
    let signedToken = signedCSRF.makeToken(sessionID: sessionID)
    Benchmark("csrf verify signed", configuration: Suite.perOp()) { benchmark in
        precondition(signedCSRF.verify(cookieValue: signedToken, submitted: signedToken, sessionID: sessionID))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(signedCSRF.verify(cookieValue: signedToken, submitted: signedToken, sessionID: sessionID))
        }
    }
}
