import BenchSupport
import Benchmark
import SessionToken

/// Sealing (at sign-in) and the rolling refresh (open, then re-issue under the new primary).
let benchmarks: @Sendable () -> Void = {
    print("Seal: \(Fixtures.summary)")

    Benchmark("seal", configuration: Suite.perOp()) { benchmark in
        let sealer = Fixtures.sealer1, subject = Fixtures.subject, now = Fixtures.sealedAt
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.seal(subject: subject, at: now).token)
        }
    }

    // A token under k0 opened by a ring whose primary is now k1: every call opens and re-issues.
    Benchmark("refresh re-issue", configuration: Suite.perOp()) { benchmark in
        let sealer = Fixtures.rotatedSealer, token = Fixtures.token, now = Fixtures.openedAt
        let first = try sealer.refresh(token, at: now)
        precondition(first.replacement != nil, "refresh must re-issue")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.refresh(token, at: now))
        }
    }
}
