import Foundation
import Synchronization

/// Two threads running the same work at once, timed from the moment both are running.
///
/// Starting a second thread is not throughput. On the two-vCPU KVM runner an empty
/// `DispatchQueue.concurrentPerform(iterations: 2)` took 28 µs at the median and 108 µs at p90
/// (waking the idle vCPU goes through the hypervisor), 1-5 % of a 2,048-open half batch, and
/// the raw cipher, which shares nothing, "scaled" 1.37-1.91× that way. So each run starts its
/// own second thread, both wait at a spin barrier until both are there, and the time counts
/// from the earlier of their starts after it to the later of their ends: a lock or a contended
/// reference count shared by the two threads still shows in full; the wake-up does not.
///
/// What remains is the host: for seconds at a time the second vCPU gives far less than a core
/// (samples near 1.2× for the raw cipher as for `open`, with a fresh thread per sample, a
/// persistent worker or `concurrentPerform` alike), so a run's p50 depends on how much of it
/// falls in such a phase.
public enum TwoThreads {
    /// Nanoseconds from the first start to the last end of `body` run once on each of two
    /// threads that start together (the calling thread and one started for the run); `body`
    /// gets 0 or 1, which thread it is.
    public static func elapsed(_ body: @escaping @Sendable (Int) -> Void) -> Int64 {
        let run = perform(body, started: {})
        return Pairing.nanoseconds(max(run.end0, run.end1) - min(run.start0, run.start1))
    }

    /// Runs `body` on two threads as ``elapsed(_:)`` does, and calls `started` on the calling
    /// thread once both run and `finished` once both are done: for a benchmark that times itself
    /// (`startMeasurement` / `stopMeasurement`).
    public static func run(
        _ body: @escaping @Sendable (Int) -> Void, started: () -> Void, finished: () -> Void
    ) {
        _ = perform(body, started: started)
        finished()
    }

    /// Starts the second thread, takes part 0 on the calling thread, and returns once the
    /// second thread is done too. The caller spins for it rather than sleeping, so that its own
    /// wake-up is not counted either.
    private static func perform(_ body: @escaping @Sendable (Int) -> Void, started: () -> Void) -> Run {
        let run = Run(body)
        Thread { run.take(part: 1) }.start()
        run.take(part: 0, started: started)
        while !run.workerDone.load(ordering: .acquiring) {}
        return run
    }

    /// One run's barrier and clock readings. Each thread writes only its own slots; the
    /// worker's release of `workerDone` orders its writes before the caller reads them.
    private final class Run: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let arrived = Atomic<Int>(0)
        let workerDone = Atomic<Bool>(false)
        var start0 = ContinuousClock.now, end0 = ContinuousClock.now
        var start1 = ContinuousClock.now, end1 = ContinuousClock.now

        init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }

        func take(part: Int, started: () -> Void = {}) {
            arrived.add(1, ordering: .acquiringAndReleasing)
            while arrived.load(ordering: .acquiring) < 2 {}
            if part == 0 { started() }
            let s = ContinuousClock.now
            body(part)
            let e = ContinuousClock.now
            // Written after the work, each thread to its own two properties.
            if part == 0 {
                (start0, end0) = (s, e)
            } else {
                (start1, end1) = (s, e)
                workerDone.store(true, ordering: .releasing)
            }
        }
    }
}
