import BenchSupport
import Benchmark
import CSodiumBench
import SessionToken

/// Scaling: one fixed batch of opens done on one thread, then split over two threads that
/// share one `SessionSealer` (as a service does). Two threads should take about half the time
/// when nothing is shared that one thread writes and the other reads (a lock, a contended
/// reference count). The raw cipher is measured the same way, to tell what the machine itself
/// gives: the runner's two cores are shared, and a busy neighbour caps both figures alike.
/// The two-thread samples are timed from when both threads run (`TwoThreads`: waking a second
/// vCPU takes tens of µs on the KVM runner, which is not throughput); the gated figure is the
/// Paired group's.
let batch = 8192

let benchmarks: @Sendable () -> Void = {
    precondition(sodium_init() >= 0)
    print("Concurrency: batch of \(batch) operations per sample; \(Fixtures.summary)")
    let sealer = Fixtures.sealer1, token = Fixtures.token, now = Fixtures.openedAt

    @Sendable func opens(_ count: Int) {
        for _ in 0..<count { blackHole(try? sealer.open(token, at: now)) }
    }

    Benchmark("open batch 1 thread", configuration: Suite.batch()) { _ in
        opens(batch)
    }
    Benchmark("open batch 2 threads", configuration: Suite.batch()) { benchmark in
        TwoThreads.run(
            { _ in opens(batch / 2) }, started: { benchmark.startMeasurement() },
            finished: { benchmark.stopMeasurement() })
    }

    let parts = Fixtures.parts
    let key = Fixtures.keyBytes(0)
    @Sendable func decrypts(_ count: Int) {
        var out = [UInt8](repeating: 0, count: parts.ciphertext.count)
        for _ in 0..<count {
            let status = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                &out, nil, parts.ciphertext, UInt64(parts.ciphertext.count), parts.tag,
                parts.aad, UInt64(parts.aad.count), parts.nonce, key)
            precondition(status == 0)
        }
        blackHole(out)
    }
    Benchmark("raw decrypt batch 1 thread", configuration: Suite.batch()) { _ in
        decrypts(batch)
    }
    Benchmark("raw decrypt batch 2 threads", configuration: Suite.batch()) { benchmark in
        TwoThreads.run(
            { _ in decrypts(batch / 2) }, started: { benchmark.startMeasurement() },
            finished: { benchmark.stopMeasurement() })
    }
}
