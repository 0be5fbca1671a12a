#if PostgreSQL
public import Foundation
public import PostgresNIO
import SessionToken
import Synchronization
public import SessionTokenRevocation

/// A `RevocationStore` on PostgreSQL, for a fleet: one table, and a
/// `NOTIFY` on every revocation so that each node's `RevocationService`
/// applies it within milliseconds.
///
/// A notification is only a hint. PostgreSQL has no privilege on channels: any role that can
/// connect can `NOTIFY` on this one. So a listener never applies what a payload says; it reads
/// the rows the payloads name from the table (in batches) and applies what the table holds. A
/// payload that names no row changes nothing; one it cannot read asks for a full reload, which
/// the service runs at most once a second.
///
/// ```swift
/// let client = PostgresClient(configuration: .init(
///     host: "127.0.0.1", username: "sessions", password: ProcessInfo.processInfo.environment["PGPASSWORD"],
///     database: "sessions", tls: .disable))
/// let store = PostgresRevocationStore(client: client)
/// let revocations = RevocationService(store: store, sealer: sealer)
/// // Application(router: router, services: [client, revocations]); then, once running:
/// try await store.createTable()
/// ```
///
/// Queries go through a `PostgresClient`, postgres-nio's connection pool, which is a
/// swift-service-lifecycle `Service`: run it in the service group beside the
/// `RevocationService`. Every query has a deadline (``queryTimeout``): while PostgreSQL is down
/// the pool keeps trying to connect and a query would wait for it, so a sign-out is refused
/// within the deadline instead (the user can retry) and a reload reports the store
/// unavailable. ``watchChanges(_:)`` holds one pooled connection for `LISTEN`. Notifications
/// sent while it is disconnected are not queued by PostgreSQL, so every new `LISTEN` is
/// followed by a full reload; the service's periodic reload is the backstop.
public final class PostgresRevocationStore: RevocationStore {
    /// The channel every revocation is announced on. The payload names the row written,
    /// `KIND TAB VALUE`; PostgreSQL's 8,000-byte limit holds any 1,024-byte ID.
    public static let channel = "session_token_revocations"

    /// Most hints a listener holds unread; past it, it forgets them and asks for one reload.
    static let maxPendingHints = 1024

    /// The longest a query waits for a connection and its answer.
    public let queryTimeout: Duration

    private let client: PostgresClient
    private let logger: Logger
    /// The run of a client this store made itself (``init(url:password:queryTimeout:logger:)``).
    private let ownRun: Task<Void, Never>?

    /// A store on `client`, which the caller runs (`client.run()`, usually in the service
    /// group). `logger` receives postgres-nio's events for the store's queries.
    public init(
        client: PostgresClient, queryTimeout: Duration = .seconds(3),
        logger: Logger = Logger(label: "session-token.revocations")
    ) {
        self.client = client
        self.queryTimeout = queryTimeout
        self.logger = logger
        self.ownRun = nil
    }

    /// A store on a client it makes with `configuration` and runs itself until ``close()``.
    init(configuration: PostgresClient.Configuration, queryTimeout: Duration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.queryTimeout = queryTimeout
        self.logger = logger
        self.ownRun = Task { await client.run() }
    }

    deinit { ownRun?.cancel() }

    /// Stops the client this store made itself (one passed in is the caller's to stop). The
    /// notification connection is released when the task running ``watchChanges(_:)`` is
    /// cancelled.
    public func close() async {
        ownRun?.cancel()
        await ownRun?.value
    }

    /// Creates the table and its index when missing. Safe to call from every node at start-up,
    /// at the same time: `CREATE ... IF NOT EXISTS` alone is not (two sessions that both find the
    /// table missing both create it, and one fails on a catalog's unique index: three nodes
    /// started together showed it), so the statements run in one block that first takes a
    /// transaction-scoped advisory lock, and a second node waits, then finds the table there.
    public func createTable() async throws(RevocationStoreError) {
        try await run(
            """
            DO $$
            BEGIN
                -- A key of this library's own: the bytes of "sesstokn" as a bigint.
                PERFORM pg_advisory_xact_lock(8315179226721381230);
                CREATE TABLE IF NOT EXISTS session_token_revocations (
                    kind text NOT NULL,
                    value text NOT NULL,
                    time double precision NOT NULL,
                    expires_at double precision NOT NULL,
                    PRIMARY KEY (kind, value)
                );
                CREATE INDEX IF NOT EXISTS session_token_revocations_expiry
                    ON session_token_revocations (expires_at);
            END
            $$
            """)
    }

    /// Records a revocation and announces it, in one statement: the notification is sent when
    /// the row is committed. A user or session revoked again keeps the later times.
    public func revoke(_ revocation: Revocation) async throws(RevocationStoreError) {
        try revocation.checkedForStore()
        let kind = revocation.kind
        let value = revocation.value
        let time = revocation.time.timeIntervalSince1970
        let expiresAt = revocation.expiresAt.timeIntervalSince1970
        let payload = Self.payload(revocation)
        try await run(
            """
            WITH written AS (
                INSERT INTO session_token_revocations (kind, value, time, expires_at)
                VALUES (\(kind), \(value), \(time), \(expiresAt))
                ON CONFLICT (kind, value) DO UPDATE SET
                    time = greatest(session_token_revocations.time, excluded.time),
                    expires_at = greatest(session_token_revocations.expires_at, excluded.expires_at)
                RETURNING 1
            )
            SELECT pg_notify('session_token_revocations', \(payload)) FROM written
            """)
    }

    /// Every revocation that has not expired at `now`; rows this library did not write are
    /// counted as unreadable and left out.
    public func revocations(at now: Date) async throws(RevocationStoreError) -> StoredRevocations {
        let cutOff = now.timeIntervalSince1970
        let rows = try await rows(
            "SELECT kind, value, time, expires_at FROM session_token_revocations WHERE expires_at > \(cutOff)")
        var stored = StoredRevocations([])
        stored.revocations.reserveCapacity(rows.count)
        for row in rows {
            let columns = try? row.decode((String, String, Double, Double).self)
            stored.add(columns.flatMap { Revocation(kind: $0, value: $1, time: $2, expiresAt: $3) })
        }
        return stored
    }

    /// Deletes the revocations expired at `now`; returns how many.
    @discardableResult
    public func purge(at now: Date) async throws(RevocationStoreError) -> Int {
        let cutOff = now.timeIntervalSince1970
        return try await rows(
            "DELETE FROM session_token_revocations WHERE expires_at <= \(cutOff) RETURNING 1"
        ).count
    }

    /// A notification's payload for `revocation`: the row's key.
    static func payload(_ revocation: Revocation) -> String {
        "\(revocation.kind)\t\(revocation.value)"
    }

    /// The row a notification names, `KIND TAB VALUE`; nil for a payload this library did not write.
    static func hint(fromPayload payload: String) -> Hint? {
        let fields = payload.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0] == "user" || fields[0] == "session", !fields[1].isEmpty,
            fields[1].utf8.count <= Revocation.maxValueBytes
        else { return nil }
        return Hint(kind: String(fields[0]), value: String(fields[1]))
    }

    /// A row a notification named.
    struct Hint: Hashable, Sendable {
        let kind: String
        let value: String
    }

    /// The revocations in force at `now` among the rows `hints` name: what the table says, not
    /// what the notifications did.
    func revocations(named hints: [Hint], at now: Date) async throws(RevocationStoreError) -> [Revocation] {
        let kinds = hints.map(\.kind), values = hints.map(\.value)
        let cutOff = now.timeIntervalSince1970
        let rows = try await rows(
            """
            SELECT r.kind, r.value, r.time, r.expires_at
            FROM session_token_revocations r
            JOIN unnest(\(kinds)::text[], \(values)::text[]) AS h(kind, value) USING (kind, value)
            WHERE r.expires_at > \(cutOff)
            """)
        return rows.compactMap { row in
            (try? row.decode((String, String, Double, Double).self)).flatMap {
                Revocation(kind: $0, value: $1, time: $2, expiresAt: $3)
            }
        }
    }

    /// Listens on ``channel`` over a connection of its own: reports `RevocationChange.unknown`
    /// once listening (whatever was missed before is unknown), then, for the rows notifications
    /// name, each revocation the table holds (read in batches on the query connection);
    /// `RevocationChange.unknown` for a payload it cannot read, or when more
    /// than 1,024 wait. Throws when the connection is lost;
    /// `RevocationService` listens again.
    public func watchChanges(_ changed: @escaping @Sendable (RevocationChange) async -> Void) async throws {
        let pending = PendingHints(limit: Self.maxPendingHints)
        do {
            try await client.withConnection { connection in
                try await connection.listen(on: Self.channel) { notifications in
                    await changed(.unknown)
                    // The reader runs beside the listener, so that a burst of notifications costs
                    // one query per batch, not one each.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await self.readHints(pending, changed) }
                        for try await notification in notifications {
                            pending.add(Self.hint(fromPayload: notification.payload))
                        }
                        pending.finish()
                        try await group.waitForAll()
                    }
                }
            }
            if !Task.isCancelled { throw RevocationStoreError.unavailable("the notification connection closed") }
        } catch let error as RevocationStoreError {
            throw error
        } catch {
            if Task.isCancelled { return }
            throw RevocationStoreError.unavailable(Self.reason(error))
        }
    }

    /// Reads the rows the pending hints name, a batch at a time, until the listener finishes.
    private func readHints(_ pending: PendingHints, _ changed: @escaping @Sendable (RevocationChange) async -> Void) async {
        for await _ in pending.signals {
            let (hints, unreadable) = pending.take()
            if unreadable { await changed(.unknown) }
            guard !hints.isEmpty else { continue }
            do {
                for revocation in try await revocations(named: hints, at: Date()) {
                    await changed(.written(revocation))
                }
            } catch {
                // The query connection failed: what the hints named is unknown until a reload.
                await changed(.unknown)
            }
        }
    }

    /// Runs `query` through the client within ``queryTimeout``.
    private func run(_ query: PostgresQuery) async throws(RevocationStoreError) {
        _ = try await rows(query)
    }

    /// The rows `query` returns, within ``queryTimeout``: the lease of a connection, the query
    /// and its rows. Past the deadline the query is cancelled (a waiting lease is withdrawn
    /// from the pool) and the store is reported unavailable.
    private func rows(_ query: PostgresQuery) async throws(RevocationStoreError) -> [PostgresRow] {
        let client = client, logger = logger, timeout = queryTimeout
        do {
            return try await withThrowingTaskGroup(of: [PostgresRow]?.self) { group in
                group.addTask { try await client.query(query, logger: logger).collect() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let rows = first else {
                    throw RevocationStoreError.unavailable("no answer within \(timeout)")
                }
                return rows
            }
        } catch let error as RevocationStoreError {
            throw error
        } catch let error as PSQLError where error.serverInfo != nil {
            throw .failed(Self.reason(error))
        } catch {
            throw .unavailable(Self.reason(error))
        }
    }

    /// An error's text for a report: postgres-nio's `PSQLError` prints its code and the
    /// server's message field, never the configuration or its password.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "\(error.code): \(message)" }
            return "\(error.code)"
        }
        return String(describing: type(of: error))
    }
}

/// The hints a listener has received and not yet read, bounded: past the limit they are
/// dropped and one reload is asked for instead.
private final class PendingHints: Sendable {
    private struct State {
        var hints: Set<PostgresRevocationStore.Hint> = []
        var unreadable = false
    }
    private let state = Mutex(State())
    private let limit: Int
    let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(limit: Int) {
        self.limit = limit
        // One signal waiting is enough: the reader takes everything pending when it wakes.
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A notification's hint; nil for a payload that names no row this library writes.
    func add(_ hint: PostgresRevocationStore.Hint?) {
        state.withLock { state in
            if let hint, !state.unreadable, state.hints.count < limit {
                state.hints.insert(hint)
            } else {
                state.hints.removeAll()
                state.unreadable = true
            }
        }
        signal.yield()
    }

    func take() -> (hints: [PostgresRevocationStore.Hint], unreadable: Bool) {
        state.withLock { state in
            defer { state = State() }
            return (Array(state.hints), state.unreadable)
        }
    }

    func finish() { signal.finish() }
}

#endif
