/// Bounds on what ``RequestCookies`` reads from one `Cookie` header.
public struct CookieLimits: Sendable, Hashable {
    /// The longest header read, in bytes. The default, 32 KiB, holds a session token in several
    /// chunks with room to spare; proxies such as nginx refuse far less by default (8 KiB).
    public var maxHeaderBytes: Int
    /// The most cookies read. The default, 180, is Chrome's limit per domain.
    public var maxCookies: Int

    /// The default limits: 32 KiB and 180 cookies.
    public static let `default` = CookieLimits(maxHeaderBytes: 32_768, maxCookies: 180)

    /// Limits of your own; values below 1 count as 1.
    public init(maxHeaderBytes: Int, maxCookies: Int) {
        self.maxHeaderBytes = max(1, maxHeaderBytes)
        self.maxCookies = max(1, maxCookies)
    }
}
