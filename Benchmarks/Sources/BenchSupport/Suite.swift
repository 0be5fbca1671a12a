import Benchmark
import Foundation

/// Settings shared by every suite.
///
/// Per-operation benchmarks run `perOpBatch` operations per sample (package-benchmark's
/// `scalingFactor`), so the clock is read once per thousand operations and its own cost
/// vanishes from sub-microsecond figures. Exported raw samples are therefore per 1,000
/// operations; `bench-check.sh` divides by 1,000.
///
/// `BENCH_SHORT=1` (set by `bench-check.sh`) shortens each benchmark for the CI gate.
public enum Suite {
    public static let isShort = ProcessInfo.processInfo.environment["BENCH_SHORT"] == "1"

    /// Operations per sample for per-operation benchmarks.
    public static let perOpBatch = 1000

    public static func perOp(metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput])
        -> Benchmark.Configuration
    {
        .init(
            metrics: metrics,
            timeUnits: .nanoseconds,
            warmupIterations: isShort ? 3 : 10,
            scalingFactor: .kilo,
            maxDuration: isShort ? .milliseconds(1500) : .seconds(4),
            maxIterations: isShort ? 1000 : 10_000)
    }

    /// For batch benchmarks where one sample is one whole batch.
    public static func batch() -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock],
            timeUnits: .microseconds,
            warmupIterations: isShort ? 3 : 10,
            scalingFactor: .one,
            maxDuration: isShort ? .seconds(3) : .seconds(8),
            maxIterations: isShort ? 300 : 2000)
    }
}
