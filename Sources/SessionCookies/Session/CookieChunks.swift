/// next-auth's chunking of a long cookie value: one cookie `NAME` when the value fits, else
/// `NAME.0`, `NAME.1`, ... Reading orders chunks by the number after the last dot.
enum CookieChunks {
    /// Most chunks read or written (as `NextAuthCookie`).
    static let maxChunks = 64

    /// The `(name, value)` cookies that carry `value`; nil when it needs more than ``maxChunks``.
    static func split(_ value: String, name: String, chunkSize: Int) -> [(name: String, value: String)]? {
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
    /// for any other cookie name.
    static func index(of cookieName: String, name: String) -> Int? {
        guard cookieName.hasPrefix(name) else { return nil }
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
    enum Reading: Equatable {
        /// No cookie of that name and no chunk.
        case absent
        /// The joined value.
        case value(String)
        /// Both `NAME` and chunks, a gap in the numbers, an empty part, or over `maxLength`.
        case malformed
    }

    /// Joins `NAME` or `NAME.0`, `NAME.1`, ... from the request (first occurrence of each name).
    static func join(_ cookies: RequestCookies, name: String, maxLength: Int) -> Reading {
        var whole: String?
        var chunks: [Int: String] = [:]
        var total = 0
        for cookieName in cookies.names {
            guard let index = index(of: cookieName, name: name), let value = cookies[cookieName] else { continue }
            total += value.utf8.count
            guard total <= maxLength else { return .malformed }
            if index < 0 { whole = value } else { chunks[index] = value }
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

    /// The names of `name`'s cookie and chunks the request carried, in order of appearance.
    static func present(_ cookies: RequestCookies, name: String) -> [String] {
        cookies.names.filter { index(of: $0, name: name) != nil }
    }
}
