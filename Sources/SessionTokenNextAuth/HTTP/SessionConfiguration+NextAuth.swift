public import Foundation
public import SessionCookies
public import SessionToken
public import SessionTokenHTTP
public import SessionTokenRevocation

extension SessionConfiguration {
    /// A configuration whose session cookie holds next-auth's token:
    /// `SessionConfiguration(keys:format:...)` with `SessionTokenFormat.nextAuth(_:)`.
    ///
    /// - Parameters:
    ///   - keys: The key ring provider: it seals nothing here, but its sealer's `updateAge` says
    ///     when a token is re-issued.
    ///   - policy: The cookie policy; by default next-auth's own names over https
    ///     (`CookiePolicy.nextAuthV4(secure:)` or
    ///     `CookiePolicy.authJSV5(secure:)`). A policy given must use the name
    ///     the front end does.
    ///   - nextAuth: next-auth's codec.
    ///   - csrf: The CSRF check.
    ///   - cookieLimits: Bounds on the `Cookie` header.
    ///   - clock: The current time; inject one in tests.
    ///   - revocations: The node's revocations.
    ///   - onEvent: Receives each open's outcome and each seal.
    public init(
        keys: KeyRingProvider, policy: CookiePolicy? = nil, nextAuth: NextAuthCodec,
        csrf: CSRFProtection? = nil, cookieLimits: CookieLimits = .default,
        clock: @escaping @Sendable () -> Date = { Date() }, revocations: RevocationService? = nil,
        onEvent: (@Sendable (SessionEvent) -> Void)? = nil
    ) {
        self.init(
            keys: keys, format: .nextAuth(nextAuth), policy: policy, csrf: csrf, cookieLimits: cookieLimits,
            clock: clock, revocations: revocations, onEvent: onEvent)
    }
}
