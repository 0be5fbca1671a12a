import CSQLite
import SessionToken
import SessionTokenRevocation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C boundary of the SQLite store: one connection, its prepared statements and the
/// conversion of SQLite's result codes into `RevocationStoreError`. Not thread-safe; the
/// store serialises every use.
final class SQLiteConnection {
    private let handle: OpaquePointer

    /// Opens (creating when missing) the database file at `path`. A file it creates is for the
    /// owner only (0600), and so are the `-wal` and `-shm` files SQLite makes beside it.
    init(path: String) throws(RevocationStoreError) {
        Self.createPrivately(path)
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw .unavailable("cannot open \(path): \(reason)")
        }
        handle = db
        // Another process (the CLI, another worker) may hold the write lock for a moment.
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Revocations tell who was signed out and when, so the file is not for other users of the
    /// machine. SQLite would create it 0644 less the umask, and it gives the `-wal`, `-shm` and
    /// journal files it makes later the main file's mode: creating the file first, 0600, keeps
    /// all of them private (open(2) rather than a umask change, which would be process-wide and
    /// race other threads). An existing file keeps the mode its owner gave it. SQLite's own
    /// names for no file (`:memory:`, the empty path) and URIs are left to SQLite. A failure
    /// here is not reported: SQLite's open then fails with its own reason, or succeeds (a
    /// read-only file it can still read).
    private static func createPrivately(_ path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
    }

    /// Runs statements that take no parameters and return no rows.
    func execute(_ sql: String) throws(RevocationStoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard status == SQLITE_OK else {
            throw .failed(message.map { String(cString: $0) } ?? "status \(status)")
        }
    }

    /// A value bound to a statement's parameter.
    enum Value {
        case text(String)
        case real(Double)
    }

    /// One row of a query, read by column.
    struct Row {
        fileprivate let statement: OpaquePointer

        /// The column as text, every byte of it (a NUL included: the length is SQLite's, not
        /// the C string's); nil when it is not a text value or not UTF-8. Repairing bad UTF-8
        /// would read an ID nobody wrote.
        func text(_ column: Int32) -> String? {
            guard sqlite3_column_type(statement, column) == SQLITE_TEXT,
                let bytes = sqlite3_column_text(statement, column)
            else { return nil }
            // After sqlite3_column_text, as SQLite's documentation asks: the count is then of
            // the UTF-8 text just returned.
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// The column as a number; nil when it is neither an integer nor a real.
        func real(_ column: Int32) -> Double? {
            let type = sqlite3_column_type(statement, column)
            guard type == SQLITE_FLOAT || type == SQLITE_INTEGER else { return nil }
            return sqlite3_column_double(statement, column)
        }
    }

    /// Prepares `sql`, binds `values` and calls `row` for each result row; returns the number
    /// of rows the statement changed.
    @discardableResult
    func run(_ sql: String, _ values: [Value] = [], row: (Row) -> Void = { _ in }) throws(RevocationStoreError) -> Int {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .failed(lastError)
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case .text(let text):
                status = Self.bind(text, to: statement, at: position)
            case .real(let number):
                status = sqlite3_bind_double(statement, position, number)
            }
            guard status == SQLITE_OK else { throw .failed(lastError) }
        }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: row(Row(statement: statement))
            case SQLITE_DONE: return Int(sqlite3_changes(handle))
            default: throw .failed(lastError)
            }
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Binds text by its byte length: with -1 SQLite would stop at the first NUL, and an ID
    /// cut there names someone else (`alice\0-evil` stored as `alice` revokes alice and not
    /// itself). The buffer holds one byte more than the text so that even empty text has an
    /// address: a null pointer would bind NULL, not ''.
    private static func bind(_ text: String, to statement: OpaquePointer, at position: Int32) -> Int32 {
        let bytes = ContiguousArray(text.utf8) + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
                sqlite3_bind_text64(
                    statement, position, chars.baseAddress, sqlite3_uint64(chars.count - 1),
                    unsafeBitCast(-1, to: sqlite3_destructor_type.self), UInt8(SQLITE_UTF8))
            }
        }
    }
}
