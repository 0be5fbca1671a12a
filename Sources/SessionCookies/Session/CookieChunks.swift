import SessionToken
import SessionTokenInternals

/// next-auth's chunking of a long cookie value, the one implementation for both the library's
/// session cookie (``SessionCookie``) and next-auth's (`NextAuthCookie` in
/// SessionTokenNextAuth): one cookie `NAME` when the value fits, else `NAME.0`, `NAME.1`, ...
/// Reading orders chunks by the number after the last dot.
package enum CookieChunks {
    /// Most chunks read or written: 64 chunks of about 3.9 KB are far beyond what any browser
    /// or proxy accepts in one request.
    package static let maxChunks = 64

    /// The `(name, value)` cookies that carry `value`; nil when it needs more than ``maxChunks``.
    package static func split(_ value: String, name: String, chunkSize: Int) -> [(name: String, value: String)]? {
        let bytes = Array(value.utf8)
        guard bytes.count > chunkSize else { return [(name, value)] }
        let count = (bytes.count + chunkSize - 1) / chunkSize
        guard count <= maxChunks else { return nil }
        return (0..<count).map { index in
            let start = index * chunkSize
            let end = min(start + chunkSize, bytes.count)
            return ("\(name).\(index)", String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    /// -1 for `NAME`, n for `NAME.n` (decimal without leading zeros, below ``maxChunks``), nil
    /// for any other cookie name. Names are compared as bytes.
    static func index(of cookieName: String, name: String) -> Int? {
        guard ExactName.hasPrefix(cookieName, name) else { return nil }
        let rest = cookieName.utf8.dropFirst(name.utf8.count)
        if rest.isEmpty { return -1 }
        guard rest.first == UInt8(ascii: "."), (2...3).contains(rest.count) else { return nil }
        let digits = rest.dropFirst()
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }),
            digits.count == 1 || digits.first != UInt8(ascii: "0")
        else { return nil }
        let index = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return index < maxChunks ? index : nil
    }

    /// The outcome of reading the chunks of `name` from a request.
    package enum Reading: Equatable {
        /// No cookie of that name and no chunk.
        case absent
        /// The joined value.
        case value(String)
        /// Both `NAME` and chunks, a name sent twice, a gap in the numbers, an empty part, or
        /// over `maxLength`.
        case malformed
    }

    /// Joins `NAME` or `NAME.0`, `NAME.1`, ... from the request. Any name of the set sent twice
    /// makes the whole value ambiguous (the rule of ``RequestCookies``), so it is malformed.
    package static func join(_ cookies: RequestCookies, name: String, maxLength: Int) -> Reading {
        var whole: String?
        var chunks: [Int: String] = [:]
        var total = 0
        for pair in cookies.pairs {
            guard let index = index(of: pair.name, name: name) else { continue }
            total += pair.value.utf8.count
            guard total <= maxLength else { return .malformed }
            if index < 0 {
                guard whole == nil else { return .malformed }
                whole = pair.value
            } else {
                guard chunks.updateValue(pair.value, forKey: index) == nil else { return .malformed }
            }
        }
        if let whole {
            return chunks.isEmpty && !whole.isEmpty ? .value(whole) : .malformed
        }
        guard !chunks.isEmpty else { return .absent }
        var joined = ""
        joined.reserveCapacity(total)
        for index in 0..<chunks.count {
            guard let chunk = chunks[index], !chunk.isEmpty else { return .malformed }
            joined += chunk
        }
        return .value(joined)
    }

    /// The names of `name`'s cookie and chunks the request carried, each once, in order of
    /// appearance.
    package static func present(_ cookies: RequestCookies, name: String) -> [String] {
        cookies.names.filter { index(of: $0, name: name) != nil }
    }

    /// The `Set-Cookie` values that store `value` under `template`'s name and attributes: first
    /// an expiring line for every chunk the request carried that the new value does not use
    /// (so that no stale chunk is joined to the new ones), then one line per chunk. Every line
    /// goes through ``SetCookie/headerValue()``, so a value with `;`, CR, LF or any other byte
    /// outside cookie-octets is refused, never written.
    ///
    /// - Throws: ``CookieError/tooManyChunks(name:limit:)``, or the ``SetCookie`` rule a line breaks.
    package static func setCookieLines(
        for value: String, template: SetCookie, chunkSize: Int, request: RequestCookies
    ) throws(CookieError) -> [String] {
        guard let chunks = split(value, name: template.name, chunkSize: chunkSize) else {
            throw .tooManyChunks(name: template.name, limit: maxChunks)
        }
        let kept = Set(chunks.map { ExactName($0.name) })
        var lines: [String] = []
        for name in present(request, name: template.name) where !kept.contains(ExactName(name)) {
            lines.append(try expiring(template, name: name).headerValue())
        }
        for chunk in chunks {
            var cookie = template
            cookie.name = chunk.name
            cookie.value = chunk.value
            lines.append(try cookie.headerValue())
        }
        return lines
    }

    /// The `Set-Cookie` values that delete `template`'s cookie and every chunk of it the
    /// request carried (one for `NAME` when it carried none), with the same `Path`, `Domain`
    /// and flags so that the browser matches the cookies it holds.
    ///
    /// - Throws: The ``SetCookie`` rule the template breaks.
    package static func expiringLines(template: SetCookie, request: RequestCookies) throws(CookieError) -> [String] {
        var names = present(request, name: template.name)
        if names.isEmpty { names = [template.name] }
        var lines: [String] = []
        for name in names { lines.append(try expiring(template, name: name).headerValue()) }
        return lines
    }

    private static func expiring(_ template: SetCookie, name: String) -> SetCookie {
        var cookie = template
        cookie.name = name
        cookie.value = ""
        cookie.maxAge = 0
        cookie.expires = nil
        return cookie
    }
}
