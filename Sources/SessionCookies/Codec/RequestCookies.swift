import SessionToken

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
/// - names are compared byte for byte, never by Unicode equivalence (`\u{212A}SID` is not
///   `KSID`);
/// - **a repeated name reads as absent**. RFC 6265 §5.4 has the browser list cookies with
///   longer paths first, then earlier-created ones first; the server sees neither path nor
///   domain. Whoever can plant a cookie for this host (a sibling subdomain through `Domain`, a
///   page on a sub-path, a man in the middle on plain http for a non-`Secure` name) chooses its
///   `Path`, and so whether it comes before or after the genuine one. Neither "first wins" nor
///   "last wins" can tell them apart, so a name sent twice is treated as no cookie at all:
///   an injected cookie can sign a visitor out, never into the attacker's session.
///   ``values(named:)`` and ``pairs`` keep every occurrence for code that decides otherwise;
///   `__Host-` names, which no other host can set, avoid the question.
///
/// ```swift
/// let cookies = try RequestCookies(header: "theme=dark; sid=abc; theme=light")
/// cookies["sid"]    // "abc"
/// cookies["theme"]  // nil: sent twice, ambiguous
/// ```
public struct RequestCookies: Sendable, Hashable {
    /// Every pair in header order, repeated names included.
    public let pairs: [CookiePair]
    /// The index of each name's only pair; -1 for a name sent more than once.
    private let index: [ExactName: Int]

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
        var index: [ExactName: Int] = [:]
        for (offset, pair) in pairs.enumerated() {
            let name = ExactName(pair.name)
            index[name] = index[name] == nil ? offset : -1
        }
        self.index = index
    }

    /// The value of the cookie with this name; nil when there is none, and when the name was
    /// sent more than once (see the type's discussion).
    public subscript(name: String) -> String? {
        guard let offset = index[ExactName(name)], offset >= 0 else { return nil }
        return pairs[offset].value
    }

    /// True when the header carries this name more than once.
    public func isRepeated(_ name: String) -> Bool { index[ExactName(name)] == -1 }

    /// The values of every cookie with this name (same bytes), in header order.
    public func values(named name: String) -> [String] {
        pairs.filter { ExactName.same($0.name, name) }.map(\.value)
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen: Set<ExactName> = []
        return pairs.compactMap { seen.insert(ExactName($0.name)).inserted ? $0.name : nil }
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
