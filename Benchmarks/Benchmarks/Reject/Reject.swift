import BenchSupport
import Benchmark
import SessionToken

/// Rejection paths: each must cost no more than opening a valid token, and a token over the
/// length limit must be refused before anything is decoded.
let benchmarks: @Sendable () -> Void = {
    print("Reject: \(Fixtures.summary)")

    let cases: [(name: String, token: String)] = [
        ("reject bad tag", Fixtures.badTag),
        ("reject unknown kid", Fixtures.unknownKID),
        ("reject malformed base64", Fixtures.malformedBase64),
        ("reject garbage 4096", Fixtures.garbage4096),
        ("reject garbage 4097", Fixtures.garbage4097),
        ("reject forged 4096", Fixtures.forged4096),
    ]
    for (name, token) in cases {
        Benchmark(name, configuration: Suite.perOp()) { benchmark in
            let sealer = Fixtures.sealer1, now = Fixtures.openedAt
            // Each must really be refused, and as `invalid`.
            do throws(SessionTokenError) {
                _ = try sealer.open(token, at: now)
                fatalError("\(name): the token opened")
            } catch {
                guard case .invalid = error else { fatalError("\(name): \(error)") }
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? sealer.open(token, at: now))
            }
        }
    }
}
