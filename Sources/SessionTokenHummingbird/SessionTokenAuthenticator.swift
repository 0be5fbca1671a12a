#if Hummingbird
public import Hummingbird
public import HummingbirdAuth
public import SessionTokenHTTP

/// Turns the request's session into hummingbird-auth's identity, so that `context.identity`,
/// `requireIdentity()` and `IsAuthenticatedMiddleware` work with your user type. Place it after
/// ``SessionTokenMiddleware``.
///
/// ```swift
/// router.add(middleware: SessionTokenAuthenticator { session, context in
///     try await users.find(id: session.subject)
/// })
/// ```
public struct SessionTokenAuthenticator<Context: SessionTokenRequestContext & AuthRequestContext>: AuthenticatorMiddleware {
    /// The user type the application loads.
    public typealias Identity = Context.Identity

    private let loadUser: @Sendable (OpenedSession, Context) async throws -> Context.Identity?

    /// An authenticator that loads the user of a verified session; return nil for a user that no
    /// longer exists (the request stays signed out).
    public init(
        context: Context.Type = Context.self,
        loadUser: @escaping @Sendable (OpenedSession, Context) async throws -> Context.Identity?
    ) {
        self.loadUser = loadUser
    }

    /// An authenticator whose identity is the verified session itself.
    public init(context: Context.Type = Context.self) where Context.Identity == OpenedSession {
        self.loadUser = { session, _ in session }
    }

    /// The user of the request's session; nil when it is signed out.
    public func authenticate(request: Request, context: Context) async throws -> Context.Identity? {
        guard let session = context.sessionToken.session else { return nil }
        return try await loadUser(session, context)
    }
}
#endif
