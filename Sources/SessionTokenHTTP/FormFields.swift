import Foundation

/// Reads one field of an `application/x-www-form-urlencoded` body (WHATWG URL §5.1: `&`-separated
/// pairs, `+` for a space, percent-escapes), for the CSRF check. A field that appears twice is
/// ambiguous and reads as absent, as a cookie sent twice does.
package enum FormFields {
    /// The decoded value of `name`, or nil when it is absent, repeated or badly escaped.
    package static func value(of name: String, in body: String) -> String? {
        var found: String?
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard decode(parts[0]) == name else { continue }
            guard found == nil, let value = decode(parts.count == 2 ? parts[1] : "") else { return nil }
            found = value
        }
        return found
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
