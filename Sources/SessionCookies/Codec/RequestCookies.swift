/// The cookies of a request, parsed from its `Cookie` header (RFC 6265 §4.2.1 and §5.4,
/// RFC 6265bis §5.7).
///
/// Parsing is tolerant of what browsers send and bounded:
/// - pairs are separated by `;`, with or without the space RFC 6265 asks for; empty pieces
///   are skipped;
/// - names and values are trimmed of spaces and tabs; one pair of double quotes around a
///   value is removed; a piece without `=`, or with an empty name, is skipped (no code can
///   address a nameless cookie);
/// - names and values are kept as sent otherwise (a browser may send bytes that a server would
///   never set; nothing here decodes them);
/// - a header over ``CookieLimits/maxHeaderBytes`` or with more than ``CookieLimits/maxCookies``
///   cookies is refused with a typed error, as is one containing a control character other than
///   a tab (CR, LF and NUL never come from a browser);
/// - **a repeated name resolves to its first occurrence**: browsers send cookies with longer
///   paths first, so the first is the most specific one, and an attacker who can inject a cookie
///   for a parent domain or a shorter path lands later in the header. ``pairs`` keeps them all.
///
/// ```swift
/// let cookies = try RequestCookies(header: "theme=dark; sid=abc; theme=light")
/// cookies["theme"]  // "dark"
/// ```
public struct RequestCookies: Sendable, Hashable {
    /// Every pair in header order, repeated names included.
    public let pairs: [CookiePair]
    private let firstIndex: [String: Int]

    /// No cookies.
    public static let empty = RequestCookies(pairs: [])

    /// Parses a `Cookie` header.
    ///
    /// - Parameters:
    ///   - header: The header's value; several `Cookie` headers (HTTP/2 may split one) joined
    ///     with `; `.
    ///   - limits: The size and count bounds.
    /// - Throws: ``CookieError/headerTooLarge(limit:)``, ``CookieError/tooManyCookies(limit:)``
    ///   or ``CookieError/malformedHeader``.
    public init(header: String, limits: CookieLimits = .default) throws(CookieError) {
        let bytes = header.utf8
        guard bytes.count <= limits.maxHeaderBytes else { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
        guard !bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { throw .malformedHeader }
        var pairs: [CookiePair] = []
        for piece in bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.trim(piece[piece.startIndex..<equals])
            guard !name.isEmpty else { continue }
            var value = Self.trim(piece[piece.index(after: equals)...])
            if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            guard pairs.count < limits.maxCookies else { throw .tooManyCookies(limit: limits.maxCookies) }
            pairs.append(CookiePair(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        self.init(pairs: pairs)
    }

    /// Cookies from pairs, in order (for tests and for building a header with ``headerValue``).
    public init(pairs: [CookiePair]) {
        self.pairs = pairs
        var firstIndex: [String: Int] = [:]
        for (index, pair) in pairs.enumerated() where firstIndex[pair.name] == nil {
            firstIndex[pair.name] = index
        }
        self.firstIndex = firstIndex
    }

    /// The value of the first cookie with this name, or nil.
    public subscript(name: String) -> String? {
        firstIndex[name].map { pairs[$0].value }
    }

    /// The values of every cookie with this name, in header order.
    public func values(named name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        pairs.enumerated().filter { firstIndex[$0.element.name] == $0.offset }.map(\.element.name)
    }

    /// The number of pairs, repeated names included.
    public var count: Int { pairs.count }

    /// True when the request carried no cookie.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The `Cookie` header a browser would send for these pairs: `name=value` joined with `; `.
    /// Parsing it gives the same pairs when every name is an RFC 6265 token and every value is
    /// made of cookie-octets not wrapped in double quotes.
    public var headerValue: String {
        pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// Two values are equal when their pairs are, in order.
    public static func == (lhs: RequestCookies, rhs: RequestCookies) -> Bool { lhs.pairs == rhs.pairs }

    /// Hashes the pairs.
    public func hash(into hasher: inout Hasher) { hasher.combine(pairs) }

    private static func trim(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        var bytes = bytes
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        return bytes
    }
}
