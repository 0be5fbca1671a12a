import Synchronization

/// Limits password guessing: at most ``accountLimit`` sign-in failures per account and
/// ``addressLimit`` per client address within ``window`` (both counted from the first failure);
/// beyond either, attempts are refused until that window ends, without checking the password.
///
/// An attempt counts as a failure as soon as it is admitted and is given back when it succeeds
/// or is never checked, so that a burst of concurrent guesses cannot all slip under the limit
/// before the first one fails. A success clears the account's count (its owner is back) but
/// gives back only its own attempt to the address (one address may try many accounts).
///
/// E-mails and addresses are chosen by the client, so the tables keep only their hashes under
/// this process's random seed (`Hasher` is SipHash, seeded per process): nobody can make keys
/// collide on purpose, and no e-mail stays in memory. Each table keeps at most ``capacity``
/// entries and drops the oldest beyond, so a flood of fresh keys costs bounded memory.
final class SignInThrottle: Sendable {
    /// Failures one account may have within the window: a person mistyping gets several tries,
    /// a guesser 20 an hour.
    static let accountLimit = 5
    /// Failures one client address may have within the window, across accounts: room for a
    /// few people behind one NAT, little for one machine trying many accounts.
    static let addressLimit = 20
    /// How long failures are remembered.
    static let window = Duration.seconds(15 * 60)
    /// Most entries per table (about 100 bytes each).
    static let capacity = 10_000

    private struct Tables {
        var accounts = FailureTable(limit: SignInThrottle.accountLimit)
        var addresses = FailureTable(limit: SignInThrottle.addressLimit)
    }

    private let tables = Mutex(Tables())

    /// Admits one attempt and counts it as a failure, or returns how many seconds to wait.
    func begin(account: String, address: String, now: ContinuousClock.Instant = .now) -> Int? {
        let accountKey = Self.hash(account), addressKey = Self.hash(address)
        return tables.withLock { tables in
            let wait = [tables.accounts.wait(accountKey, now: now), tables.addresses.wait(addressKey, now: now)]
                .compactMap { $0 }.max()
            if let wait { return Self.seconds(wait) }
            tables.accounts.add(accountKey, now: now)
            tables.addresses.add(addressKey, now: now)
            return nil
        }
    }

    /// The password was right: the account starts afresh, the address gets this attempt back.
    func succeeded(account: String, address: String) {
        let accountKey = Self.hash(account), addressKey = Self.hash(address)
        tables.withLock { tables in
            tables.accounts.remove(accountKey)
            tables.addresses.subtract(addressKey)
        }
    }

    /// The attempt was admitted but never checked (the password checks were busy).
    func giveBack(account: String, address: String) {
        let accountKey = Self.hash(account), addressKey = Self.hash(address)
        tables.withLock { tables in
            tables.accounts.subtract(accountKey)
            tables.addresses.subtract(addressKey)
        }
    }

    private static func hash(_ text: String) -> Int {
        var hasher = Hasher()
        hasher.combine(text)
        return hasher.finalize()
    }

    /// Whole seconds, rounded up, for `Retry-After`.
    private static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}

/// Failure counts by hashed key, each with the instant its window opened, oldest first.
private struct FailureTable {
    struct Entry {
        var opened: ContinuousClock.Instant
        var failures: Int
    }

    let limit: Int
    private var entries: [Int: Entry] = [:]
    /// Keys in the order their windows opened; a record whose entry has since been removed or
    /// reopened is skipped when reached.
    private var order: [(key: Int, opened: ContinuousClock.Instant)] = []
    private var head = 0

    init(limit: Int) { self.limit = limit }

    /// How long until `key` may try again, when it has used up its failures.
    func wait(_ key: Int, now: ContinuousClock.Instant) -> Duration? {
        guard let entry = entries[key], entry.failures >= limit else { return nil }
        let end = entry.opened + SignInThrottle.window
        return now < end ? end - now : nil
    }

    mutating func add(_ key: Int, now: ContinuousClock.Instant) {
        expire(now: now)
        if var entry = entries[key] {
            entry.failures += 1
            entries[key] = entry
            return
        }
        entries[key] = Entry(opened: now, failures: 1)
        order.append((key, now))
        while entries.count > SignInThrottle.capacity, head < order.count {
            dropRecord(at: head)
        }
        compact()
    }

    mutating func subtract(_ key: Int) {
        guard var entry = entries[key] else { return }
        entry.failures -= 1
        entries[key] = entry.failures > 0 ? entry : nil
    }

    mutating func remove(_ key: Int) { entries[key] = nil }

    /// Windows open in order, so the expired ones are all at the front.
    private mutating func expire(now: ContinuousClock.Instant) {
        while head < order.count, order[head].opened + SignInThrottle.window <= now {
            dropRecord(at: head)
        }
    }

    private mutating func dropRecord(at index: Int) {
        let record = order[index]
        if entries[record.key]?.opened == record.opened { entries[record.key] = nil }
        head += 1
    }

    /// Frees the records already passed, and rebuilds the order when records of removed entries
    /// (successes within a window) pile up.
    private mutating func compact() {
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        if order.count - head > 4 * SignInThrottle.capacity {
            order = entries.map { ($0.key, $0.value.opened) }.sorted { $0.opened < $1.opened }
            head = 0
        }
    }
}
