import BenchSupport
import Benchmark
import Crypto
import Foundation
import SessionToken
import SessionTokenDeviceBound
import SessionTokenHTTP
import SessionTokenRevocation
import _CryptoExtras

// Device-bound sessions (issue 30): what a registration and a refresh cost the server (a
// signature verification dominates, so the raw swift-crypto verifications are measured beside
// them), and what a bound session costs every request against an unbound one (paired).

let block = 200
let ratioMetric = Pairing.ratioMetric()

/// The browser's side, as the tests' software browser: a key, its proofs, a cookie jar.
struct Device {
    let p256: P256.Signing.PrivateKey?
    let rsa: _RSA.Signing.PrivateKey?
    var jar: [String: String] = [:]

    static func b64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    var jwk: String {
        if let p256 {
            let raw = p256.publicKey.rawRepresentation
            return #"{"kty":"EC","crv":"P-256","x":"\#(Self.b64(raw.prefix(32)))","y":"\#(Self.b64(raw.suffix(32)))"}"#
        }
        // n and e from the PKCS#1 DER of the public key: SEQUENCE { INTEGER n, INTEGER e }.
        let der = Array(rsa!.publicKey.pkcs1DERRepresentation)
        var i = 0
        func length() -> Int {
            let first = Int(der[i]); i += 1
            guard first & 0x80 != 0 else { return first }
            var value = 0
            for _ in 0..<(first & 0x7F) { value = value << 8 | Int(der[i]); i += 1 }
            return value
        }
        func integer() -> [UInt8] {
            i += 1
            let n = length()
            var bytes = Array(der[i..<(i + n)]); i += n
            while bytes.count > 1 && bytes[0] == 0 { bytes.removeFirst() }
            return bytes
        }
        i += 1; _ = length()
        let n = integer(), e = integer()
        return #"{"kty":"RSA","n":"\#(Self.b64(n))","e":"\#(Self.b64(e))"}"#
    }

    func proof(_ challenge: String, registration: Bool) -> String {
        let alg = p256 != nil ? "ES256" : "RS256"
        let header = registration ? #"{"alg":"\#(alg)","typ":"dbsc+jwt","jwk":\#(jwk)}"# : #"{"alg":"\#(alg)","typ":"dbsc+jwt"}"#
        let input = Self.b64(Array(header.utf8)) + "." + Self.b64(Array(#"{"jti":"\#(challenge)"}"#.utf8))
        let signature = p256.map { Array(try! $0.signature(for: Array(input.utf8)).rawRepresentation) }
            ?? Array(try! rsa!.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
        return input + "." + Self.b64(signature)
    }

    func cookie(path: String) -> String {
        jar.filter { path.hasPrefix("/dbsc/refresh") || !$0.key.contains("dbsc-ticket") }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    mutating func store(_ response: DeviceBindingResponse) {
        for (name, value) in response.headers where name == "Set-Cookie" {
            let pair = value.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            jar[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
    }
}

func challenge(in field: String) -> String {
    if let range = field.range(of: #"challenge=""#) { return String(field[range.upperBound...].prefix { $0 != "\"" }) }
    return String(field.dropFirst().prefix { $0 != "\"" })
}

struct Service {
    let sessions: SessionConfiguration
    let binding: DeviceBinding

    func post(_ path: String, _ device: Device, proof: String? = nil) async -> DeviceBindingResponse {
        let cookie = device.cookie(path: path)
        return await binding.respond(
            method: "POST", path: path[...],
            header: { $0 == "Cookie" ? cookie : ($0 == "Secure-Session-Response" ? proof : nil) },
            configuration: sessions)!
    }

    /// Signs in and registers `device`; returns the bearer session's cookie header.
    func register(_ device: inout Device) async -> String {
        let signIn = sessions.open(cookieHeader: nil)
        try! signIn.signIn(subject: Fixtures.subject)
        let bearer = signIn.responseSetCookies()[0].prefix { $0 != ";" }
        let name = String(bearer.prefix { $0 != "=" })
        device.jar[name] = String(bearer.dropFirst(name.count + 1))
        let offer = signIn.responseHeaders()[0].value
        let answer = await post("/dbsc/register", device, proof: device.proof(challenge(in: offer), registration: true))
        precondition(answer.status == 200)
        device.store(answer)
        return String(bearer)
    }
}

func makeService() async -> Service {
    let keys = try! KeyRingProvider(source: .custom { "bench-k0:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE" })
    let revocations = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer)
    try! await revocations.start()
    let binding = try! DeviceBinding.deviceBound(origin: "https://localhost")
    return Service(
        sessions: SessionConfiguration(keys: keys, revocations: revocations, deviceBinding: binding), binding: binding)
}

/// State carried from one sample to the next (each sample is one call of a benchmark's
/// closure): the service, the device, the challenge the last refresh pushed.
final class Carried: @unchecked Sendable {
    var service: Service?
    var device: Device?
    var pushed = ""
    var rsaKey: _RSA.Signing.PrivateKey?
}

let benchmarks: @Sendable () -> Void = {
    // One operation per sample, its setup (keys, sign-in, the browser's signature) outside the
    // measured span.
    let timed = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], warmupIterations: 3, scalingFactor: .one,
        maxDuration: Suite.isShort ? .seconds(2) : .seconds(5), maxIterations: Suite.isShort ? 300 : 2000)

    // The raw verifications, through swift-crypto (BoringSSL): what a proof costs at least.
    let p256 = P256.Signing.PrivateKey()
    let esMessage = Array("eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0".utf8)
    let esSignature = try! p256.signature(for: esMessage)
    Benchmark("p256 verify (swift-crypto)", configuration: timed) { benchmark in
        benchmark.startMeasurement()
        blackHole(p256.publicKey.isValidSignature(esSignature, for: esMessage))
        benchmark.stopMeasurement()
    }
    let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    let rsMessage = Array("eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJ4In0".utf8)
    let rsSignature = try! rsaKey.signature(for: rsMessage, padding: .insecurePKCS1v1_5)
    Benchmark("rsa-2048 pkcs1 verify (swift-crypto)", configuration: timed) { benchmark in
        benchmark.startMeasurement()
        blackHole(rsaKey.publicKey.isValidSignature(rsSignature, for: rsMessage, padding: .insecurePKCS1v1_5))
        benchmark.stopMeasurement()
    }

    for rsa in [false, true] {
        // A registration, server side: the bearer session opened, the proof verified, the bound
        // cookie, ticket and next challenge sealed, the old session revoked (in memory). The
        // sign-in and the browser's signature are outside the measured span.
        let registering = Carried()
        Benchmark("dbsc registration \(rsa ? "rs256" : "es256")", configuration: timed) { benchmark in
            if registering.service == nil { registering.service = await makeService() }
            let service = registering.service!
            var device = Device(p256: rsa ? nil : P256.Signing.PrivateKey(), rsa: rsa ? rsaKey : nil)
            let signIn = service.sessions.open(cookieHeader: nil)
            try signIn.signIn(subject: Fixtures.subject)
            let bearer = signIn.responseSetCookies()[0].prefix { $0 != ";" }
            let name = String(bearer.prefix { $0 != "=" })
            device.jar[name] = String(bearer.dropFirst(name.count + 1))
            let proof = device.proof(challenge(in: signIn.responseHeaders()[0].value), registration: true)
            benchmark.startMeasurement()
            let answer = await service.post("/dbsc/register", device, proof: proof)
            benchmark.stopMeasurement()
            precondition(answer.status == 200)
        }

        // A refresh with a pushed challenge (one round trip), server side: the ticket opened,
        // the revocations checked, the proof verified, a cookie, a ticket and the next challenge
        // sealed.
        let refreshing = Carried()
        Benchmark("dbsc refresh \(rsa ? "rs256" : "es256")", configuration: timed) { benchmark in
            if refreshing.service == nil {
                let service = await makeService()
                var device = Device(p256: rsa ? nil : P256.Signing.PrivateKey(), rsa: rsa ? rsaKey : nil)
                _ = await service.register(&device)
                let first = await service.post("/dbsc/refresh", device)
                refreshing.pushed = challenge(in: first.headers.first { $0.name == "Secure-Session-Challenge" }!.value)
                refreshing.service = service
                refreshing.device = device
            }
            let service = refreshing.service!
            var device = refreshing.device!
            let proof = device.proof(refreshing.pushed, registration: false)
            benchmark.startMeasurement()
            let answer = await service.post("/dbsc/refresh", device, proof: proof)
            benchmark.stopMeasurement()
            precondition(answer.status == 200)
            device.store(answer)
            refreshing.device = device
            refreshing.pushed = challenge(in: answer.headers.first { $0.name == "Secure-Session-Challenge" }!.value)
        }
    }

    // Every request of a bound session against one of an unbound session: the same middleware
    // step (parse the Cookie header, open, check revocations, read the subject), paired.
    Benchmark("paired bound request session / request session", configuration: Pairing.configuration()) { benchmark in
        let service = await makeService()
        var device = Device(p256: P256.Signing.PrivateKey(), rsa: nil)
        var plain = Device(p256: nil, rsa: nil)
        let bearer = await service.register(&device)
        _ = bearer
        let signIn = service.sessions.open(cookieHeader: nil)
        try signIn.signIn(subject: Fixtures.subject)
        let line = signIn.responseSetCookies()[0].prefix { $0 != ";" }
        plain.jar[String(line.prefix { $0 != "=" })] = String(line.drop { $0 != "=" }.dropFirst())
        let boundHeader = device.cookie(path: "/"), plainHeader = plain.cookie(path: "/")
        let now = Date()
        precondition(service.sessions.open(cookieHeader: boundHeader, at: now).session?.isDeviceBound == true)
        precondition(service.sessions.open(cookieHeader: plainHeader, at: now).session?.isDeviceBound == false)
        @Sendable func requests(_ header: String, _ count: Int) {
            for _ in 0..<count {
                let session = service.sessions.open(cookieHeader: header, at: now)
                blackHole(session.subject)
                blackHole(session.responseSetCookies())
            }
        }
        for _ in benchmark.scaledIterations {
            benchmark.measurement(
                ratioMetric, Pairing.ratio(base: { requests(plainHeader, block) }, subject: { requests(boundHeader, block) }))
        }
    }
}
