import Benchmark

/// Timing in pairs, for the ratio targets. A group that runs one operation for a while and then
/// the next compares two stretches of the machine when its p50s are divided: on a shared
/// two-vCPU runner those differ by up to a third from one minute to the next, more than the
/// margins gated. A paired sample times the subject and its baseline back to back, in the order
/// baseline, subject, subject, baseline (drift that is linear over the sample cancels), and
/// records their ratio; the gate reads the p50 of those per-sample ratios.
public enum Pairing {
    /// The metric every paired benchmark records: the ratio × 1000 (its wall clock means
    /// nothing). `bench-report.awk` reads it by name.
    public static func ratioMetric(_ polarity: BenchmarkMetric.Polarity = .prefersSmaller) -> BenchmarkMetric {
        .custom("ratio x1000", polarity: polarity, useScalingFactor: false)
    }

    /// Paired benchmarks record one ratio per sample; a few hundred samples in the short run.
    /// (The two-thread benchmark, whose samples are longer, sets its own limits.)
    public static func configuration(_ polarity: BenchmarkMetric.Polarity = .prefersSmaller) -> Benchmark.Configuration {
        .init(
            metrics: [ratioMetric(polarity)],
            warmupIterations: Suite.isShort ? 5 : 20,
            scalingFactor: .one,
            maxDuration: Suite.isShort ? .seconds(3) : .seconds(8),
            maxIterations: Suite.isShort ? 400 : 2000)
    }

    /// Nanoseconds that `body` takes.
    @inline(__always)
    public static func elapsed(_ body: () -> Void) -> Int64 {
        let start = ContinuousClock.now
        body()
        return nanoseconds(ContinuousClock.now - start)
    }

    /// Nanoseconds that the asynchronous `body` takes.
    @inline(__always)
    public static func elapsed(_ body: () async -> Void) async -> Int64 {
        let start = ContinuousClock.now
        await body()
        return nanoseconds(ContinuousClock.now - start)
    }

    /// One sample: `base`, `subject`, `subject`, `base`, each run the same number of times; the
    /// subject's time over the baseline's, × 1000.
    @inline(__always)
    public static func ratio(base: () -> Void, subject: () -> Void) -> Int {
        let b1 = elapsed(base)
        let s1 = elapsed(subject)
        let s2 = elapsed(subject)
        let b2 = elapsed(base)
        return scaled(s1 + s2, over: b1 + b2)
    }

    /// `numerator / denominator` × 1000, rounded: what the ratio metrics record.
    public static func scaled(_ numerator: Int64, over denominator: Int64) -> Int {
        Int((Double(numerator) / Double(denominator) * 1000).rounded())
    }

    /// Whole nanoseconds of `d` (also what ``TwoThreads`` reports).
    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}
