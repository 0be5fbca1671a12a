#if Vapor
import Foundation
public import SessionToken
public import Vapor

/// A Vapor session driver with no store: the session's data is sealed into the cookie itself,
/// as a token of this library, so `req.session.data` works as with the memory, Fluent or Redis
/// drivers while every server of a fleet reads the same cookie with nothing to share but the keys.
///
/// ```swift
/// app.sessions.use { _ in SealedSessionDriver(keys: keys) }   // instead of .memory or .fluent
/// app.sessions.configuration = .sealed()                     // HttpOnly, Secure, SameSite=Lax
/// app.middleware.use(app.sessions.middleware)
/// ```
///
/// - The cookie's value is the session ID Vapor stores: the token. Vapor's `SessionsMiddleware`
///   writes it again on every response, so each one re-seals the data with a fresh `exp` (a
///   sliding expiry, one seal, about a microsecond).
/// - The data are sealed for `TokenPurpose.vaporSessionData`: the cookie never
///   opens as a signed-in session, and a session cookie never reads as session data.
/// - A cookie that does not open (tampered, expired, under a retired key, another purpose)
///   reads as no session: Vapor then starts an empty one.
/// - Vapor writes one cookie, not chunks, and a browser keeps at most 4096 bytes a cookie; data
///   that seals to a longer token makes the response fail with
///   `SessionTokenError.unsealable(_:)`, which says how long it was.
/// - Deleting a session has nothing to delete: the middleware expires the cookie.
public struct SealedSessionDriver: AsyncSessionDriver {
    /// The subject every session token carries: Vapor's session data, not a user ID, is what it seals.
    public static let subject = "vapor-session"
    /// The custom claim that holds the session data.
    static let claim = "vapor"

    /// The key ring; a reload takes effect on the next request.
    public let keys: KeyRingProvider
    /// The longest token written: one cookie's worth, less the cookie's name.
    public let maxTokenLength: Int

    /// A driver that seals sessions under `keys`.
    ///
    /// - Parameters:
    ///   - keys: The key ring provider.
    ///   - cookieName: The session cookie's name (Vapor's `SessionsConfiguration.cookieName`),
    ///     whose length counts against the browser's 4096 bytes.
    public init(keys: KeyRingProvider, cookieName: String = "vapor-session") {
        self.keys = keys
        self.maxTokenLength = 4096 - cookieName.utf8.count - 1
    }

    /// Seals `data` into a new token: the session ID Vapor sets as the cookie.
    public func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        SessionID(string: try seal(data))
    }

    /// The data sealed in `sessionID`; nil when it does not open.
    public func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        struct Sealed: Decodable { let vapor: [String: String] }
        guard let sealer = try? keys.sealer(for: .vaporSessionData),
            let opened = try? sealer.open(sessionID.string, decoding: Sealed.self)
        else { return nil }
        return SessionData(initialData: opened.custom.vapor)
    }

    /// Seals the changed data into a new token.
    public func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        SessionID(string: try seal(data))
    }

    /// Nothing to delete: the token lives only in the cookie, which the middleware expires.
    public func deleteSession(_ sessionID: SessionID, for request: Request) async throws {}

    private func seal(_ data: SessionData) throws(SessionTokenError) -> String {
        // Sealed for its own purpose: a session cookie never opens as this data, nor this data
        // as a signed-in session (the middleware opens only `TokenPurpose.session`).
        let sealer = try keys.sealer(for: .vaporSessionData)
        let token: String
        do throws(SessionTokenError) {
            token = try sealer.seal(subject: Self.subject, custom: [Self.claim: data.snapshot]).token
        } catch {
            guard case .unsealable = error else { throw error }
            throw .unsealable("the session data do not fit one cookie (\(error)); keep large data in a store")
        }
        guard token.utf8.count <= maxTokenLength else {
            throw .unsealable(
                "the session data seal to a \(token.utf8.count)-byte token; one cookie holds at most \(maxTokenLength)")
        }
        return token
    }
}

extension SessionsConfiguration {
    /// Vapor's sessions configuration with the attributes a session cookie needs, which Vapor's
    /// default (`isSecure` and `isHTTPOnly` false) lacks: `HttpOnly`, `Secure` (unless `secure`
    /// is false, for http in development), `SameSite=Lax`, `Path=/`, and a `Max-Age` of the
    /// sealer's lifetime (30 days by default).
    public static func sealed(
        cookieName: String = "vapor-session", secure: Bool = true, maxAge: Int = Int(SessionSealer.defaultLifetime)
    ) -> SessionsConfiguration {
        SessionsConfiguration(cookieName: cookieName) { sessionID in
            HTTPCookies.Value(
                string: sessionID.string, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: secure,
                isHTTPOnly: true, sameSite: .lax)
        }
    }
}
#endif
