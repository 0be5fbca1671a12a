import BenchSupport
import Benchmark
import Crypto
import Foundation
import JWTKit

/// A session token's five claims as jwt-kit sees them; `verify` checks `exp`, as `open` does.
struct JWTStandardClaims: JWTPayload {
    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var sid: IDClaim
    var auth_time: IssuedAtClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Peers on the same claims: jwt-kit's HS256 (signed, not encrypted: the usual JWT session),
/// and swift-crypto's AEADs on the same claims bytes (cipher-only reference points).
let benchmarks: @Sendable () -> Void = {
    print("Peers: \(Fixtures.summary)")
    let parts = Fixtures.parts
    let claims = try! JSONDecoder().decode(StandardClaims.self, from: Data(parts.plaintext))
    // jwt-kit checks `exp` against the real clock, so its claims are dated from now.
    let now = Date().timeIntervalSince1970.rounded(.down)
    let payload = JWTStandardClaims(
        sub: SubjectClaim(value: claims.sub),
        iat: IssuedAtClaim(value: Date(timeIntervalSince1970: now)),
        exp: ExpirationClaim(value: Date(timeIntervalSince1970: now + 2_592_000)),
        sid: IDClaim(value: claims.sid),
        auth_time: IssuedAtClaim(value: Date(timeIntervalSince1970: now)))

    Benchmark("jwt-kit HS256 sign", configuration: Suite.perOp()) { benchmark in
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: Fixtures.keyBytes(0))), digestAlgorithm: .sha256)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await keys.sign(payload))
        }
    }

    Benchmark("jwt-kit HS256 verify", configuration: Suite.perOp()) { benchmark in
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: Fixtures.keyBytes(0))), digestAlgorithm: .sha256)
        let token = try await keys.sign(payload)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await keys.verify(token, as: JWTStandardClaims.self))
        }
    }

    // The gated speed-up, timed in pairs (see `Pairing`): each sample times 200 opens, 20
    // jwt-kit verifies, 20 verifies, 200 opens, and records verify's time per operation over
    // open's (× 1000). The two groups above are run minutes apart and only printed beside it.
    Benchmark("paired jwt-kit HS256 verify / open", configuration: Pairing.configuration(.prefersLarger)) { benchmark in
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: Fixtures.keyBytes(0))), digestAlgorithm: .sha256)
        let jwt = try await keys.sign(payload)
        let sealer = Fixtures.sealer1, token = Fixtures.token, openedAt = Fixtures.openedAt
        precondition((try? sealer.open(token, at: openedAt)) != nil)
        let opens = 200, verifies = 20
        func openBlock() { for _ in 0..<opens { blackHole(try? sealer.open(token, at: openedAt)) } }
        func verifyBlock() async {
            for _ in 0..<verifies { blackHole(try? await keys.verify(jwt, as: JWTStandardClaims.self)) }
        }
        for _ in benchmark.scaledIterations {
            let o1 = Pairing.elapsed(openBlock)
            let v1 = await Pairing.elapsed(verifyBlock)
            let v2 = await Pairing.elapsed(verifyBlock)
            let o2 = Pairing.elapsed(openBlock)
            let perVerify = Double(v1 + v2) / Double(2 * verifies)
            let perOpen = Double(o1 + o2) / Double(2 * opens)
            benchmark.measurement(Pairing.ratioMetric(.prefersLarger), Int((perVerify / perOpen * 1000).rounded()))
        }
    }

    // swift-crypto's ChaCha20-Poly1305 (12-byte nonce) and AES-256-GCM on the same claims and AAD.
    let key = SymmetricKey(data: Fixtures.keyBytes(0))
    let plaintext = Data(parts.plaintext)
    let aad = Data(parts.aad)

    Benchmark("swift-crypto ChaChaPoly seal", configuration: Suite.perOp()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ChaChaPoly.seal(plaintext, using: key, authenticating: aad))
        }
    }
    Benchmark("swift-crypto ChaChaPoly open", configuration: Suite.perOp()) { benchmark in
        let box = try ChaChaPoly.seal(plaintext, using: key, authenticating: aad)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try ChaChaPoly.open(box, using: key, authenticating: aad))
        }
    }
    Benchmark("swift-crypto AES-GCM seal", configuration: Suite.perOp()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try AES.GCM.seal(plaintext, using: key, authenticating: aad))
        }
    }
    Benchmark("swift-crypto AES-GCM open", configuration: Suite.perOp()) { benchmark in
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: aad)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try AES.GCM.open(box, using: key, authenticating: aad))
        }
    }
}
