import Foundation
import SessionTokenTestSupport
import SessionCookies
import SessionToken
import XCTest


/// Committed fixtures of this module.

/// 2027-01-15T08:00:00Z.
let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)

/// A sealer with a fixed key.
func makeSealer(maxTokenLength: Int = SessionSealer.defaultMaxTokenLength) throws -> SessionSealer {
    let key = try SessionKey(id: "k1", bytes: [UInt8](repeating: 7, count: 32))
    return try SessionSealer(keys: KeyRing(primary: key), maxTokenLength: maxTokenLength)
}


/// A test-side reader of one `Set-Cookie` line (RFC 6265bis §5.6, simplified): the name, the
/// value and the attributes by lower-cased name (flags map to "").
struct ParsedSetCookie {
    var name: String
    var value: String
    var attributes: [String: String]

    init(_ line: String) {
        let parts = line.components(separatedBy: "; ")
        let first = parts[0]
        let equals = first.firstIndex(of: "=") ?? first.endIndex
        name = String(first[..<equals])
        value = equals == first.endIndex ? "" : String(first[first.index(after: equals)...])
        attributes = [:]
        for part in parts.dropFirst() {
            if let eq = part.firstIndex(of: "=") {
                attributes[part[..<eq].lowercased()] = String(part[part.index(after: eq)...])
            } else {
                attributes[part.lowercased()] = ""
            }
        }
    }
}

/// The `Cookie` header a browser would send after applying `Set-Cookie` lines to its jar
/// `jar` (name → value): a cookie with `Max-Age=0` is removed, others set.
func applying(_ lines: [String], to jar: [(String, String)]) -> [(String, String)] {
    var jar = jar
    for line in lines {
        let parsed = ParsedSetCookie(line)
        jar.removeAll { $0.0 == parsed.name }
        if parsed.attributes["max-age"] != "0" { jar.append((parsed.name, parsed.value)) }
    }
    return jar
}

func header(_ jar: [(String, String)]) -> String {
    jar.map { "\($0.0)=\($0.1)" }.joined(separator: "; ")
}
