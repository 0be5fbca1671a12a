import BenchSupport
import Benchmark
import CSodiumBench
import Crypto
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
func cookieHeader(for token: String) -> String {
    let pairs = cookie.chunks(of: token).map { "\($0.name)=\($0.value)" }
    return (["theme=dark"] + pairs + ["next-auth.callback-url=%2Faccount"]).joined(separator: "; ")
}
let chunkedHeader = cookieHeader(for: chunkedToken)
/// 12 KiB in four chunks: the allocation count must not grow with the cookie's size.
let largerToken = try! v4.encode(Padded(profile: String(repeating: "x", count: 8_800)), at: Fixtures.sealedAt)
let largerHeader = cookieHeader(for: largerToken)

/// The chunked token's baseline: libsodium's AES-256-GCM decrypt (AES-NI, the key's state
/// expanded once, as the codec holds it) of a ciphertext of the same length under the same
/// header as associated data, into a page of its own. What joining and decoding the cookie
/// cannot avoid is this decrypt; the ratio is the rest of the work.
final class RawGCMDecrypt: @unchecked Sendable {
    let aad: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    let state: UnsafeMutablePointer<crypto_aead_aes256gcm_state>
    let out: UnsafeMutableRawBufferPointer

    init(like token: String) {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        aad = Array(segments[0].utf8)
        let length = Fixtures.base64URLDecode(String(segments[3])).count
        precondition(crypto_aead_aes256gcm_is_available() == 1, "no AES-NI: the baseline needs it")
        state = .allocate(capacity: 1)
        var key = [UInt8](repeating: 0, count: 32), nonce = [UInt8](repeating: 0, count: 12)
        randombytes_buf(&key, 32)
        randombytes_buf(&nonce, 12)
        crypto_aead_aes256gcm_beforenm(state, key)
        let plaintext = [UInt8](repeating: 0x61, count: length)
        var ciphertext = [UInt8](repeating: 0, count: length), tag = [UInt8](repeating: 0, count: 16)
        crypto_aead_aes256gcm_encrypt_detached_afternm(
            &ciphertext, &tag, nil, plaintext, UInt64(length), aad, UInt64(aad.count), nil, nonce, state)
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
        out = .allocate(byteCount: (length + 4095) & ~4095, alignment: 4096)
    }

    deinit { out.deallocate(); state.deallocate() }

    func run(_ count: Int) {
        let out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<count {
            let status = crypto_aead_aes256gcm_decrypt_detached_afternm(
                out, nil, ciphertext, UInt64(ciphertext.count), tag, aad, UInt64(aad.count), nonce, state)
            precondition(status == 0)
        }
        blackHole(out.pointee)
    }
}

/// `subject` against a native `open` of the core's fixture token, block by block in each
/// sample: the NextAuth group's paired rows that compare with an open.
func pairedWithOpen(_ name: String, _ subject: @escaping @Sendable () -> Void) {
    Benchmark(name, configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer1, native = Fixtures.token
        for _ in benchmark.scaledIterations {
            benchmark.measurement(
                ratioMetric,
                Pairing.ratio(
                    base: { for _ in 0..<block { blackHole(try? sealer.open(native, at: now)) } },
                    subject: { for _ in 0..<block { subject() } }))
        }
    }
}

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
        // next-auth's session endpoint re-encodes the token on every call; a service re-issues
        // it once a day: decode, keep every claim, encode.
        Benchmark("nextauth \(name) reissue", configuration: Suite.perOp()) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try codec.reissue(token, at: now)) }
        }
        pairedWithOpen("paired nextauth \(name) decode / open") { blackHole(try? codec.decode(token, at: now)) }
    }

    for (name, header, token) in [("8", chunkedHeader, chunkedToken), ("12", largerHeader, largerToken)] {
        Benchmark("nextauth chunked \(name) KiB join + decode", configuration: Suite.perOp()) { benchmark in
            precondition(cookie.token(fromCookieHeader: header) == token)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                guard let token = cookie.token(fromCookieHeader: header) else { fatalError("no token") }
                blackHole(try v4.decode(token, at: now))
            }
        }
    }
    let rawGCM = RawGCMDecrypt(like: chunkedToken)
    Benchmark("paired nextauth chunked 8 KiB / raw aes-256-gcm decrypt", configuration: Pairing.configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            benchmark.measurement(
                ratioMetric,
                Pairing.ratio(
                    base: { rawGCM.run(block / 4) },
                    subject: {
                        for _ in 0..<(block / 4) {
                            blackHole(try? cookie.token(fromCookieHeader: chunkedHeader).map { try v4.decode($0, at: now) })
                        }
                    }))
        }
    }

    // Encoding (sign-in, every re-issue, next-auth's session endpoint) against a native seal.
    for (name, codec) in [("v4", v4), ("v5", v5)] {
        Benchmark("paired nextauth \(name) encode / seal", configuration: Pairing.configuration()) { benchmark in
            let sealer = Fixtures.sealer1
            for _ in benchmark.scaledIterations {
                benchmark.measurement(
                    ratioMetric,
                    Pairing.ratio(
                        base: { for _ in 0..<block { blackHole(try? sealer.seal(subject: Fixtures.subject, at: Fixtures.sealedAt).token) } },
                        subject: { for _ in 0..<block { blackHole(try? codec.encode(claims, at: Fixtures.sealedAt)) } }))
            }
        }
    }

    // The primitive behind v5's tag: HMAC-SHA-512 from a key-only state over a v5 token's
    // authenticated bytes (about 230), BoringSSL's (swift-crypto) against libsodium's portable
    // code, paired. Informational: it decides which implementation the codec uses.
    let macKey = SymmetricKey(data: [UInt8](repeating: 7, count: 32))
    let macMessage = [UInt8](repeating: 0x41, count: 232)
    let boringKeyed = HMAC<SHA512>(key: macKey)
    let sodiumKeyed: UnsafeMutablePointer<crypto_auth_hmacsha512_state> = {
        let state = UnsafeMutablePointer<crypto_auth_hmacsha512_state>.allocate(capacity: 1)
        crypto_auth_hmacsha512_init(state, [UInt8](repeating: 7, count: 32), 32)
        return state
    }()
    Benchmark("paired hmac-sha512 232 B swift-crypto / libsodium", configuration: Pairing.configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            benchmark.measurement(
                ratioMetric,
                Pairing.ratio(
                    base: {
                        var out = [UInt8](repeating: 0, count: 64)
                        for _ in 0..<block {
                            var state = sodiumKeyed.pointee
                            crypto_auth_hmacsha512_update(&state, macMessage, UInt64(macMessage.count))
                            crypto_auth_hmacsha512_final(&state, &out)
                        }
                        blackHole(out)
                    },
                    subject: {
                        for _ in 0..<block {
                            var mac = boringKeyed
                            mac.update(data: macMessage)
                            blackHole(mac.finalize())
                        }
                    }))
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
    pairedWithOpen("paired csrf verify nextauth / open") { blackHole(nextAuthCSRF.verify(cookieValue: csrfCookie, submitted: csrfToken)) }
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
    pairedWithOpen("paired csrf verify signed / open") { blackHole(signedCSRF.verify(cookieValue: signedToken, submitted: signedToken, sessionID: sessionID)) }
}
