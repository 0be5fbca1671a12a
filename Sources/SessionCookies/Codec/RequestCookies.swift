import SessionToken
import SessionTokenInternals

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
    /// The index of each name's only pair, -1 for a name sent more than once; nil for a header
    /// of at most ``linearLookupLimit`` pairs, which are searched in order instead.
    private let index: [ExactName: Int]?

    /// Up to this many pairs, a lookup compares names in order: cheaper than hashing every name
    /// into a dictionary for the one or two lookups a request makes.
    private static let linearLookupLimit = 16

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
        guard header.utf8.count <= limits.maxHeaderBytes else { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
        var header = header
        // On the header's contiguous UTF-8: pairs are copied out of it with one memcpy each,
        // not through String.UTF8View's index-checked slices (a 90 % share of joining and
        // decoding an 8 KiB chunked session cookie went there).
        let parsed = header.withUTF8 { bytes in
            Result { () throws(CookieError) in try Self.pairs(UnsafeRawBufferPointer(bytes), limits: limits) }
        }
        self.init(pairs: try parsed.get())
    }

    /// The `name=value` pairs of a header's bytes, split at `;`, each side trimmed of spaces and
    /// tabs, a value's one pair of surrounding double quotes dropped; pieces without `=` or
    /// with an empty name are skipped.
    private static func pairs(
        _ bytes: UnsafeRawBufferPointer, limits: CookieLimits, only keep: ((UnsafeRawBufferPointer) -> Bool)? = nil
    ) throws(CookieError) -> [CookiePair] {
        var pairs: [CookiePair] = []
        // Most requests carry a handful of cookies: room for them up front saves the array's
        // first growths.
        pairs.reserveCapacity(8)
        // A scan for a few names keeps those alone; what fills the header does not count.
        try visit(bytes, limits: limits, keeping: { keep?(UnsafeRawBufferPointer(rebasing: bytes[$0])) ?? true }) { name, value in
            pairs.append(CookiePair(
                name: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[name]), as: UTF8.self),
                value: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self)))
        }
        return pairs
    }

    /// The one parser of a `Cookie` header's bytes: calls `body` with the byte ranges of each
    /// pair's name and value (the rules of ``pairs(_:limits:only:)``), in header order, without
    /// making a `String`, for each pair whose name `keeping` accepts: only those count towards
    /// `maxCookies`.
    ///
    /// - Throws: ``CookieError/malformedHeader`` for a control byte anywhere,
    ///   ``CookieError/tooManyCookies(limit:)`` after the whole header was read.
    package static func visit(
        _ bytes: UnsafeRawBufferPointer, limits: CookieLimits, keeping: (_ name: Range<Int>) -> Bool = { _ in true },
        _ body: (_ name: Range<Int>, _ value: Range<Int>) -> Void
    ) throws(CookieError) {
        // One pass over the bytes, eight at a time between the bytes that matter: each piece
        // ends at `;` or at the end, its first `=` noted on the way (a generic `firstIndex(of:)`
        // on a buffer slice, then a byte-at-a-time loop, were the largest share of a request's
        // cookie parsing in `make bench-http`).
        var kept = 0
        var start = 0
        var equals = -1
        // A control character anywhere is the error to report, even past the cookie limit.
        var tooMany = false
        var position = 0
        while position <= bytes.count {
            position += plainRun(bytes, from: position)
            defer { position += 1 }
            let byte = position < bytes.count ? bytes[position] : UInt8(ascii: ";")
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw .malformedHeader }
            if byte == UInt8(ascii: "="), equals < 0 { equals = position }
            guard byte == UInt8(ascii: ";") else { continue }
            defer { (start, equals) = (position + 1, -1) }
            guard equals >= 0 else { continue }
            let name = trim(start..<equals, in: bytes)
            guard !name.isEmpty, keeping(name) else { continue }
            var value = trim((equals + 1)..<position, in: bytes)
            if value.count >= 2, bytes[value.lowerBound] == UInt8(ascii: "\""), bytes[value.upperBound - 1] == UInt8(ascii: "\"") {
                value = (value.lowerBound + 1)..<(value.upperBound - 1)
            }
            guard kept < limits.maxCookies else {
                tooMany = true
                continue
            }
            kept += 1
            body(name, value)
        }
        if tooMany { throw .tooManyCookies(limit: limits.maxCookies) }
    }

    /// The cookie `name` and the chunks of `chunked` (`chunked`, `chunked.0`, `chunked.1`, ...)
    /// in a header that ``init(header:limits:)`` refused for its size or its number of cookies:
    /// what lets a visitor whose header was filled with planted cookies still sign out (the CSRF
    /// cookie) and have every session chunk expired. Reads at most `maxHeaderBytes` bytes, one
    /// pass, each pair's name compared at most twice (so a header of planted cookies costs the
    /// scan no more than parsing it would), and keeps at most `maxCookies` of the pairs it
    /// looks for; a name sent twice reads as absent, as always. Empty for a header with a
    /// control character or over the byte bound.
    package static func scanning(
        header: String, for name: String, chunked: String, maxHeaderBytes: Int = 65_536
    ) -> RequestCookies {
        guard header.utf8.count <= maxHeaderBytes else { return .empty }
        var header = header
        let limits = CookieLimits(maxHeaderBytes: maxHeaderBytes, maxCookies: CookieLimits.default.maxCookies)
        let exact = Array(name.utf8), base = Array(chunked.utf8)
        let parsed = header.withUTF8 { bytes in
            try? Self.pairs(UnsafeRawBufferPointer(bytes), limits: limits) { candidate in
                candidate.elementsEqual(exact) || Self.isChunk(candidate, of: base)
            }
        }
        return parsed.map(RequestCookies.init(pairs:)) ?? .empty
    }

    /// `base` itself, or `base` followed by `.` and one or two digits.
    private static func isChunk(_ candidate: UnsafeRawBufferPointer, of base: [UInt8]) -> Bool {
        let extra = candidate.count - base.count
        guard extra == 0 || extra == 2 || extra == 3, candidate.prefix(base.count).elementsEqual(base) else { return false }
        guard extra > 0 else { return true }
        return candidate[base.count] == UInt8(ascii: ".")
            && candidate[(base.count + 1)...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Cookies from pairs, in order (for tests and for building a header with ``headerValue``).
    public init(pairs: [CookiePair]) {
        self.pairs = pairs
        guard pairs.count > Self.linearLookupLimit else {
            self.index = nil
            return
        }
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
        guard let offset = offset(of: name), offset >= 0 else { return nil }
        return pairs[offset].value
    }

    /// True when the header carries this name more than once.
    public func isRepeated(_ name: String) -> Bool { offset(of: name) == -1 }

    /// The index of the name's only pair; -1 when it was sent more than once; nil when never.
    private func offset(of name: String) -> Int? {
        if let index { return index[ExactName(name)] }
        var found: Int?
        for (offset, pair) in pairs.enumerated() where ExactName.same(pair.name, name) {
            guard found == nil else { return -1 }
            found = offset
        }
        return found
    }

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

    /// How far from `start` the bytes are free of `;`, `=`, bytes below 0x20 (controls, and the
    /// tab, which the caller reads one by one) and DEL: sixteen bytes a step on vector lanes of
    /// explicit types (a few SSE2 or NEON instructions; a 3.5 KB session cookie is most of a
    /// header, and a step of eight bytes' word arithmetic was the largest share of its
    /// request), then eight at a time with the exact "has a byte below n" and "has a zero byte"
    /// identities on 64-bit words for the rest.
    @inline(__always)
    private static func plainRun(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var i = start
        while i + 16 <= bytes.count {
            let lanes = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let special = (lanes .< SIMD16<UInt8>(repeating: 0x20)) .| (lanes .== SIMD16<UInt8>(repeating: 0x7F))
                .| (lanes .== SIMD16<UInt8>(repeating: UInt8(ascii: ";"))) .| (lanes .== SIMD16<UInt8>(repeating: UInt8(ascii: "=")))
            let marked = SIMD16<UInt8>(repeating: 0).replacing(with: SIMD16<UInt8>(repeating: 0xFF), where: special)
            let words = unsafeBitCast(marked, to: SIMD2<UInt64>.self)
            let (low, high) = (words[0].littleEndian, words[1].littleEndian)
            if low != 0 { return i - start + low.trailingZeroBitCount >> 3 }
            if high != 0 { return i - start + 8 + high.trailingZeroBitCount >> 3 }
            i += 16
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let word = (base + i).loadUnaligned(as: UInt64.self)
            let below = (word &- ones &* 0x20) & ~word & highs
            let del = word ^ (ones &* 0x7F), semicolon = word ^ (ones &* 0x3B), equals = word ^ (ones &* 0x3D)
            let zero = ((del &- ones) & ~del) | ((semicolon &- ones) & ~semicolon) | ((equals &- ones) & ~equals)
            guard (below | zero) & highs == 0 else { break }
            i += 8
        }
        return i - start
    }

    /// `range` without leading and trailing spaces and tabs.
    private static func trim(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Range<Int> {
        var (lower, upper) = (range.lowerBound, range.upperBound)
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }
}
