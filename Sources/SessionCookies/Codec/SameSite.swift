/// The `SameSite` attribute (RFC 6265bis §4.1.2.7): whether a browser sends the cookie on
/// cross-site requests.
public enum SameSite: String, Sendable, Hashable, CaseIterable {
    /// Sent on same-site requests and on top-level cross-site navigations with a safe method:
    /// the default for session cookies, so links from other sites keep the user signed in.
    case lax = "Lax"
    /// Sent on same-site requests only.
    case strict = "Strict"
    /// Sent on every request; requires `Secure`.
    case none = "None"
}
