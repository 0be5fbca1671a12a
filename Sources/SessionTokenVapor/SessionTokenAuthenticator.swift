#if Vapor
public import SessionTokenHTTP
public import Vapor

/// Logs the request's user in through `req.auth`, so that `User.guardMiddleware()`,
/// `User.redirectMiddleware(path:)` and `req.auth.require(User.self)` work as Vapor users
/// expect. Place it after ``SessionTokenMiddleware``.
///
/// ```swift
/// let protected = app.grouped(SessionTokenMiddleware(sessions))
///     .grouped(SessionTokenAuthenticator { session, req in try await User.find(session.subject, on: req.db) })
///     .grouped(User.guardMiddleware())
/// ```
public struct SessionTokenAuthenticator<User: Authenticatable & Sendable>: AsyncRequestAuthenticator {
    private let loadUser: @Sendable (OpenedSession, Request) async throws -> User?

    /// An authenticator that loads the user of a verified session; return nil for a user that no
    /// longer exists (nobody is logged in).
    public init(loadUser: @escaping @Sendable (OpenedSession, Request) async throws -> User?) {
        self.loadUser = loadUser
    }

    /// An authenticator that logs in the verified session itself.
    public init() where User == OpenedSession {
        self.loadUser = { session, _ in session }
    }

    /// Logs in the user of the request's session, if it has one.
    public func authenticate(request: Request) async throws {
        guard let session = request.sessionToken.session, let user = try await loadUser(session, request) else { return }
        request.auth.login(user)
    }
}

/// A verified session can be the authenticated value itself.
extension OpenedSession: Authenticatable {}
#endif
