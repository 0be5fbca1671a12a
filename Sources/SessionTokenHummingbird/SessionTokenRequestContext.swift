#if Hummingbird
public import Hummingbird
public import SessionTokenHTTP

/// A request context that carries the request's session: add a stored property
/// `var sessionToken = RequestSession()` to your context and put ``SessionTokenMiddleware`` in
/// front of the routes that use it.
///
/// ```swift
/// struct AppContext: AuthRequestContext, SessionTokenRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var identity: User?
///     var sessionToken = RequestSession()
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public protocol SessionTokenRequestContext: RequestContext {
    /// The request's session, set by ``SessionTokenMiddleware``.
    var sessionToken: RequestSession { get set }
}
#endif
