import CSQLite
import SessionToken

/// The C boundary of the SQLite store: one connection, its prepared statements and the
/// conversion of SQLite's result codes into ``RevocationStoreError``. Not thread-safe; the
/// store serialises every use.
final class SQLiteConnection {
    private let handle: OpaquePointer

    /// Opens (creating when missing) the database file at `path`.
    init(path: String) throws(RevocationStoreError) {
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

        /// The column as text; nil when it is not a text value.
        func text(_ column: Int32) -> String? {
            guard sqlite3_column_type(statement, column) == SQLITE_TEXT,
                let bytes = sqlite3_column_text(statement, column)
            else { return nil }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
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
                // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
                status = sqlite3_bind_text(statement, position, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
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
}
