import BenchSupport
import Benchmark
import SessionToken

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
}
