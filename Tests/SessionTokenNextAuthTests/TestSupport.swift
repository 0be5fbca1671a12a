import Foundation
import SessionTokenTestSupport
import SessionToken
import XCTest
import SessionTokenInternals


/// Committed fixtures of this module.

/// 2027-01-15T08:00:00Z, the `now` of the committed vectors.
let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)

/// Strict base64url of test bytes.
func b64(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { Base64URL.encode($0) } }

/// Decodes strict base64url test text.
func unb64(_ text: String) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard let length = Base64URL.decodedLength(chars.count) else { return nil }
    var out = [UInt8](repeating: 0, count: length)
    let n = chars.withUnsafeBytes { c in out.withUnsafeMutableBytes { Base64URL.decode(c, into: $0) } }
    return n == length ? out : nil
}

/// A JSON document read for comparison, numbers as Double, with `NSNull` for null.
func jsonObject(_ data: Data) -> NSDictionary? {
    (try? JSONSerialization.jsonObject(with: data)) as? NSDictionary
}
