import BenchSupport
import Benchmark
import SessionToken
import SessionTokenRevocation

/// Opening a valid token: the library's headline cost, paid on every request.
let benchmarks: @Sendable () -> Void = {
    print("Open: \(Fixtures.summary)")

    Benchmark("open 1-key ring", configuration: Suite.perOp()) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token, now = Fixtures.openedAt
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.open(token, at: now))
        }
    }

    // The token names the ring's last key: the lookup by `kid` is O(1), so this should match
    // the one-key figure.
    Benchmark("open 8-key ring", configuration: Suite.perOp()) { benchmark in
        let sealer = Fixtures.sealer8, token = Fixtures.token8, now = Fixtures.openedAt
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.open(token, at: now))
        }
    }

    // The same open checked against 100,000 revocations (issue 18): the check must allocate
    // nothing, so its mallocs per operation equal a plain open's (gated in targets.txt).
    // Built once, before the benchmark, so that its time budget goes to samples.
    let revocations = RevocationSet(
        (0..<50_000).flatMap { i in
            [Revocation.user("user-\(i)", before: Fixtures.openedAt, retainedFor: Fixtures.sealer1.maxTokenAge),
                .session("jti-\(i)-" + String(repeating: "x", count: 14), at: Fixtures.openedAt, retainedFor: Fixtures.sealer1.maxTokenAge)]
        }, at: Fixtures.openedAt)
    Benchmark("open checking 100k revocations", configuration: Suite.perOp()) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token, now = Fixtures.openedAt
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.open(token, at: now, revocations: revocations))
        }
    }
}
