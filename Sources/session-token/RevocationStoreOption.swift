import ArgumentParser
import Foundation
import SessionToken
import SessionTokenPostgres
import SessionTokenSQLite
import SessionTokenRevocation

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

    /// Opens the store at `address` and runs `work` on it; a store's own failure is a
    /// configuration problem (exit 2) in the store's words.
    static func using<T>(_ address: String, _ work: (any RevocationStore) async throws -> T) async throws -> T {
        do {
            return try await work(try await open(address))
        } catch let error as RevocationStoreError {
            throw ConfigurationProblem(message: error.description)
        }
    }
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
