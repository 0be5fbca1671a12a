public import SessionCookies
import SessionToken

/// What the session cookie holds: the library's native token, or another format a product
/// shares with its front end (next-auth's, from `SessionTokenNextAuth`).
///
/// A ``SessionConfiguration`` opens, re-issues and seals through its format; revocation, the
/// re-issue decision, cookies and CSRF are the configuration's, the same for every format.
/// A format's results are verified sessions, so formats are made only by this package:
/// ``native`` here, and `SessionTokenFormat.nextAuth(_:)` in `SessionTokenNextAuth`, whose
/// module this one does not depend on (a service without next-auth builds no swift-crypto).
public struct SessionTokenFormat: Sendable {
    package let implementation: any TokenFormatImplementation

    package init(_ implementation: any TokenFormatImplementation) {
        self.implementation = implementation
    }

    /// The library's token (a JWE sealed by the configuration's key ring for
    /// `TokenPurpose.session`), in the cookie `CookiePolicy.default`
    /// names unless the configuration gives a policy.
    public static let native = SessionTokenFormat(NativeTokenFormat())

    /// The cookie policy a configuration with this format uses when it names none.
    public var defaultPolicy: CookiePolicy { implementation.defaultPolicy }
}
