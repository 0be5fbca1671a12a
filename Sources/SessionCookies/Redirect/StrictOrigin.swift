/// A strict reader of `http(s)://host[:port]...` URLs and origins, written for redirect checks
/// rather than for generality: whatever it cannot read with certainty it refuses. It does not
/// use Foundation's `URL`, which accepts and repairs far more than a browser's address parser
/// agrees with it on.
struct StrictOrigin: Sendable, Hashable {
    /// `http` or `https`.
    let scheme: String
    /// The host in lower case: LDH labels separated by dots (no empty label, so no trailing
    /// dot), or a bracketed IPv6 literal.
    let host: String
    /// The port, nil for the scheme's default.
    let port: Int?

    /// `scheme://host[:port]`, the port only when not the default.
    var serialized: String {
        port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    /// Longest URL examined; a longer one is refused.
    static let maxURLBytes = 2048

    /// Splits an absolute URL into its origin and the rest (path, query and fragment, starting
    /// with `/`, `?` or `#`, or empty); nil for anything that is not an http(s) URL this reader
    /// is sure of.
    static func split(_ url: String) -> (origin: StrictOrigin, rest: Substring)? {
        guard isPlausible(url) else { return nil }
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterColon = url[url.index(after: colon)...]
        guard afterColon.hasPrefix("//") else { return nil }
        let authorityStart = afterColon.index(afterColon.startIndex, offsetBy: 2)
        let tail = url[authorityStart...]
        let authorityEnd = tail.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? tail.endIndex
        let authority = tail[..<authorityEnd]
        let rest = tail[authorityEnd...]
        guard let (host, port) = parseAuthority(authority) else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        return (StrictOrigin(scheme: scheme, host: host, port: port == defaultPort ? nil : port), rest)
    }

    /// Visible ASCII only (no white space, control characters or non-ASCII: IDN look-alikes
    /// must arrive as punycode), no backslash, at most ``maxURLBytes``, and every `%` a valid
    /// escape of a byte that is not a control character, `/`, `\` or `%` (encoded slashes and
    /// double encoding are how validators and browsers are made to disagree).
    static func isPlausible(_ url: String) -> Bool {
        let bytes = Array(url.utf8)
        guard !bytes.isEmpty, bytes.count <= maxURLBytes else { return false }
        var index = 0
        while index < bytes.count {
            let b = bytes[index]
            guard b > 0x20, b < 0x7F, b != UInt8(ascii: "\\") else { return false }
            if b == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    let high = CookieValueCoding.hexValue(bytes[index + 1]),
                    let low = CookieValueCoding.hexValue(bytes[index + 2])
                else { return false }
                let decoded = high << 4 | low
                guard decoded >= 0x20, decoded != 0x7F, decoded != UInt8(ascii: "/"), decoded != UInt8(ascii: "\\"),
                    decoded != UInt8(ascii: "%")
                else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// `host[:port]` with no user information and no escapes; the port 1...65535 in decimal
    /// without leading zeros.
    private static func parseAuthority(_ authority: Substring) -> (host: String, port: Int?)? {
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains("%") else { return nil }
        let hostPart: Substring
        let portPart: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portPart = nil
            } else {
                guard after.first == ":" else { return nil }
                portPart = after.dropFirst()
            }
            let inner = hostPart.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
                portPart = nil
            }
            guard isHostName(hostPart) else { return nil }
        }
        var port: Int?
        if let portPart {
            guard (1...5).contains(portPart.count), portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
                portPart.first != "0", let value = Int(portPart), (1...65_535).contains(value)
            else { return nil }
            port = value
        }
        return (hostPart.lowercased(), port)
    }

    /// LDH labels of 1 to 63 characters separated by single dots, at most 253 characters.
    private static func isHostName(_ host: Substring) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy {
                    (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0)
                        || $0 == UInt8(ascii: "-")
                }
        }
    }
}
