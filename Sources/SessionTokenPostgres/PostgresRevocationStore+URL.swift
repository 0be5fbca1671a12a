#if PostgreSQL
import Foundation
public import PostgresNIO
import SessionToken
public import SessionTokenRevocation

extension PostgresRevocationStore {
    /// A store at a `postgres://USER@HOST[:PORT]/DATABASE` address, on a `PostgresClient` it
    /// makes and runs itself until ``close()`` (for a service, prefer ``init(client:queryTimeout:logger:)``
    /// with a client in the service group). The password comes from `password` (read it from
    /// the environment, `PGPASSWORD` by convention), never from the address: one with a password
    /// in it is refused, so that it cannot end up in a command line or a log. A loopback host is
    /// reached without TLS; any other requires TLS with the system's trust roots.
    public convenience init(
        url: String, password: String?, queryTimeout: Duration = .seconds(3),
        logger: Logger = Logger(label: "session-token.revocations")
    ) throws(RevocationStoreError) {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { throw .unsupportedURL("expected postgres://USER@HOST[:PORT]/DATABASE") }
        guard components.password == nil else {
            throw .unsupportedURL("put the password in an environment variable (PGPASSWORD), not in the address")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: password,
            database: database.isEmpty ? nil : database,
            tls: loopback ? .disable : .require(.makeClientConfiguration()))
        // A connection attempt gives up within the query deadline: the pool then retries with
        // its backoff while queries are refused at their deadline.
        configuration.options.connectTimeout = queryTimeout
        self.init(configuration: configuration, queryTimeout: queryTimeout, logger: logger)
    }
}
#endif
