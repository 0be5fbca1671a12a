import Dispatch
public import Foundation
import SessionToken
import Synchronization
public import SessionTokenRevocation

/// A `RevocationStore` in a SQLite file: the embedded default, durable across
/// restarts, shared by the processes of one machine (a server and the `session-token` CLI).
///
/// ```swift
/// let store = try SQLiteRevocationStore(path: "/var/lib/myservice/revocations.sqlite")
/// let revocations = RevocationService(store: store, sealer: sealer)
/// ```
///
/// Built on Debian's libsqlite3 (`libsqlite3-dev`) through a thin system-library target, as
/// libsodium is: no package dependency, and the system's SQLite gets the distribution's
/// security updates. Writes in another process are noticed within half a second (SQLite's
/// `data_version`), so `RevocationService` reloads at once. Each call holds the
/// connection for one short statement; the file is in WAL mode so that readers in other
/// processes do not wait on a writer.
///
/// SQLite's calls block (up to its 5-second busy timeout while another process writes), so they
/// run on the store's own serial queue, never on Swift's cooperative thread pool, whose few
/// threads every request of the service shares.
public final class SQLiteRevocationStore: RevocationStore {
    private let connection: Mutex<SQLiteConnection>
    /// Where the blocking calls run.
    private let queue = DispatchQueue(label: "SQLiteRevocationStore")
    /// The path the store was opened at.
    public let path: String

    /// How often ``watchChanges(_:)`` asks SQLite whether another connection wrote.
    static let pollInterval = Duration.milliseconds(500)

    /// Opens the store at `path`, creating the file and its table when missing.
    public init(path: String) throws(RevocationStoreError) {
        let connection = try SQLiteConnection(path: path)
        try connection.execute(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS session_token_revocations (
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                time REAL NOT NULL,
                expires_at REAL NOT NULL,
                PRIMARY KEY (kind, value)
            );
            CREATE INDEX IF NOT EXISTS session_token_revocations_expiry
                ON session_token_revocations (expires_at);
            """)
        self.connection = Mutex(connection)
        self.path = path
    }

    /// Records a revocation; a user or session revoked again keeps the later times.
    public func revoke(_ revocation: Revocation) async throws(RevocationStoreError) {
        try revocation.checkedForStore()
        _ = try await onStoreQueue { db throws(RevocationStoreError) in
            try db.run(
                """
                INSERT INTO session_token_revocations (kind, value, time, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (kind, value) DO UPDATE SET
                    time = max(time, excluded.time), expires_at = max(expires_at, excluded.expires_at)
                """,
                [.text(revocation.kind), .text(revocation.value), .real(revocation.time.timeIntervalSince1970),
                 .real(revocation.expiresAt.timeIntervalSince1970)])
        }
    }

    /// Every revocation that has not expired at `now`; rows this library did not write are
    /// counted as unreadable and left out.
    public func revocations(at now: Date) async throws(RevocationStoreError) -> StoredRevocations {
        try await onStoreQueue { db throws(RevocationStoreError) in
            var stored = StoredRevocations([])
            try db.run(
                "SELECT kind, value, time, expires_at FROM session_token_revocations WHERE expires_at > ?",
                [.real(now.timeIntervalSince1970)]
            ) { row in
                guard let kind = row.text(0), let value = row.text(1), let time = row.real(2), let expiresAt = row.real(3)
                else { return stored.add(nil) }
                stored.add(Revocation(kind: kind, value: value, time: time, expiresAt: expiresAt))
            }
            return stored
        }
    }

    /// Deletes the revocations expired at `now`; returns how many.
    @discardableResult
    public func purge(at now: Date) async throws(RevocationStoreError) -> Int {
        try await onStoreQueue { db throws(RevocationStoreError) in
            try db.run("DELETE FROM session_token_revocations WHERE expires_at <= ?", [.real(now.timeIntervalSince1970)])
        }
    }

    /// Calls `changed` when another connection (another process) has written to the file.
    public func watchChanges(_ changed: @escaping @Sendable (RevocationChange) async -> Void) async throws {
        var last = try await dataVersion()
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.pollInterval)
            let version = try await dataVersion()
            if version != last {
                last = version
                await changed(.unknown)
            }
        }
    }

    private func dataVersion() async throws(RevocationStoreError) -> Double {
        try await onStoreQueue { db throws(RevocationStoreError) in
            var version = 0.0
            try db.run("PRAGMA data_version") { version = $0.real(0) ?? 0 }
            return version
        }
    }

    /// Runs `body` with the connection on the store's queue and resumes with its result.
    private func onStoreQueue<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(RevocationStoreError) -> T
    ) async throws(RevocationStoreError) -> T {
        let result: Result<T, RevocationStoreError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(RevocationStoreError) -> T in
                    try self.connection.withLock { db throws(RevocationStoreError) -> T in try body(db) }
                })
            }
        }
        return try result.get()
    }
}
