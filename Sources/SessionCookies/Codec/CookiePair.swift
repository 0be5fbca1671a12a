/// One `name=value` pair of a `Cookie` request header, as the browser sent it.
public struct CookiePair: Sendable, Hashable {
    /// The cookie's name, trimmed of spaces and tabs.
    public var name: String
    /// The cookie's value, trimmed of spaces and tabs and of one pair of surrounding double
    /// quotes; still percent-encoded if the server encoded it (``CookieValueCoding/decode(_:)``).
    public var value: String

    /// A pair.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
