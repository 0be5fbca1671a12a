import ArgumentParser
import Foundation
import SessionToken
import SessionTokenPostgres
import SessionTokenSQLite

/// `--store URL`: `sqlite:PATH`, or `postgres://USER@HOST[:PORT]/DATABASE` with the password in
/// `PGPASSWORD` (never in the address, which other users of the machine can see in argv).
enum RevocationStoreAddress {
    static let help: ArgumentHelp =
        "sqlite:PATH, or postgres://USER@HOST[:PORT]/DATABASE (password in PGPASSWORD, never in the address)."

    static func open(_ address: String) async throws -> any RevocationStore {
        if address.hasPrefix("sqlite:") {
            let path = String(address.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ConfigurationProblem(message: "sqlite: needs a path, as in sqlite:revocations.sqlite") }
            return try SQLiteRevocationStore(path: path)
        }
        if address.hasPrefix("postgres://") || address.hasPrefix("postgresql://") {
            #if PostgreSQL
            let store = try PostgresRevocationStore(url: address, password: ProcessInfo.processInfo.environment["PGPASSWORD"])
            try await store.createTable()
            return store
            #else
            throw ConfigurationProblem(
                message: "this build has no PostgreSQL support: build with --traits PostgreSQL (make test-postgres does)")
            #endif
        }
        throw ConfigurationProblem(message: "--store must be sqlite:PATH or a postgres:// address")
    }
}

/// Runs async store work from the tool's synchronous commands: the main thread waits while the
/// work runs on the concurrency pool.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                box.result = .success(try await work())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw ConfigurationProblem(message: "store call did not finish") }
        do {
            return try result.get()
        } catch let error as RevocationStoreError {
            throw ConfigurationProblem(message: error.description)
        }
    }
}

/// The outcome of a task, read by the thread that waited for it.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Unix seconds or an ISO 8601 time (`2026-12-04T18:00:00Z`).
enum TimeOption {
    static func parse(_ text: String, option: String) throws -> Date {
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= ClockOptions.latest {
            return Date(timeIntervalSince1970: seconds)
        }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        throw ValidationError("\(option) must be Unix seconds or an ISO 8601 time such as 2026-12-04T18:00:00Z")
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
