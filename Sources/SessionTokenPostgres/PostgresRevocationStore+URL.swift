#if PostgreSQL
import Foundation
public import PostgresNIO
import SessionToken
public import SessionTokenRevocation

extension PostgresRevocationStore {
    /// A store at a `postgres://USER@HOST[:PORT]/DATABASE` address. The password comes from
    /// `password` (read it from the environment, `PGPASSWORD` by convention), never from the
    /// address: one with a password in it is refused, so that it cannot end up in a command
    /// line or a log. A loopback host is reached without TLS; any other requires TLS with the
    /// system's trust roots.
    public convenience init(url: String, password: String?, logger: Logger = Logger(label: "session-token.revocations"))
        throws(RevocationStoreError)
    {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { throw .unsupportedURL("expected postgres://USER@HOST[:PORT]/DATABASE") }
        guard components.password == nil else {
            throw .unsupportedURL("put the password in an environment variable (PGPASSWORD), not in the address")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        let tls: PostgresConnection.Configuration.TLS
        if loopback {
            tls = .disable
        } else {
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw .unavailable("TLS could not be set up")
            }
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: password,
            database: database.isEmpty ? nil : database, tls: tls)
        self.init(configuration: configuration, logger: logger)
    }
}
#endif
