import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs password checks on a few threads of their own, with a short queue in front.
///
/// Argon2id is built to be slow (about 0.1 s and 64 MiB a check) and blocks its thread. Run on
/// Swift's cooperative pool, which has one thread per core, a handful of concurrent sign-ins
/// would hold every thread and stall all other routes. Here at most ``threads`` checks run at
/// once and at most ``maxWaiting`` wait; beyond that ``run(_:)`` answers nil at once (the
/// caller says 503), so a flood of guesses costs the rest of the service at most these threads.
/// The threads also run at a lower priority, so that when the cores are busy a page request
/// is scheduled before the next round of hashing.
final class PasswordCheckPool: @unchecked Sendable {
    let threads: Int
    let maxWaiting: Int

    // The queue is guarded by `condition`; workers sleep on it while the queue is empty.
    private let condition = NSCondition()
    private var waiting: [@Sendable () -> Void] = []

    init(threads: Int, maxWaiting: Int) {
        self.threads = threads
        self.maxWaiting = maxWaiting
        for index in 0..<threads {
            let thread = Thread { [self] in
                Self.lowerPriority()
                work()
            }
            thread.name = "password-check-\(index)"
            thread.qualityOfService = .utility  // what Darwin schedules by
            thread.start()
        }
    }

    /// The result of `check`, run on one of the pool's threads; nil when the queue is full.
    func run<Result: Sendable>(_ check: @escaping @Sendable () -> Result) async -> Result? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result?, Never>) in
            condition.lock()
            defer { condition.unlock() }
            guard waiting.count < maxWaiting else {
                continuation.resume(returning: nil)
                return
            }
            waiting.append { continuation.resume(returning: check()) }
            condition.signal()
        }
    }

    /// Nice 10 for the calling thread. Linux keeps a nice value per thread, and `setpriority`
    /// with `who` 0 changes only the caller's (see setpriority(2), "BUGS").
    private static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    private func work() {
        while true {
            condition.lock()
            while waiting.isEmpty { condition.wait() }
            let job = waiting.removeFirst()
            condition.unlock()
            job()
        }
    }
}
