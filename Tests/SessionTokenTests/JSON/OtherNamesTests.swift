import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// A repeated custom member is refused whatever its position among the others: the first eight
/// plain ASCII names are compared as bytes, any other (escaped, non-ASCII, the ninth on) as
/// decoded strings, as the reader always did (so `"a"` and `"\u0061"`, and a precomposed `é` and
/// `e` with a combining accent, are the same name).
final class OtherNamesTests: XCTestCase {
    func read(_ names: [String]) -> Bool {
        let members = names.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",")
        let text = #"{"sub":"u","exp":1800000000,"# + members + "}"
        return Array(text.utf8).withUnsafeBytes { (try? ClaimsReader.readStrict($0, limits: JSONLimits())) != nil }
    }

    /// The names as the reader decodes them, the reference: Swift's `String` equality.
    func hasRepeat(_ names: [String]) -> Bool {
        let decoded = names.map { name -> String in
            let json = Data("[\"\(name)\"]".utf8)
            return ((try? JSONSerialization.jsonObject(with: json)) as? [String])?.first ?? name
        }
        return Set(decoded).count != decoded.count
    }

    func testRepeatsAreFoundAtEveryPositionAndInEveryForm() {
        var generator = SystemRandomNumberGenerator()
        let pool = ["a", "b", "role", "org", "x_1", #"\u0061"#, #"r\u006fle"#, "é", "e\u{301}", "ü", #"\n"#, "a ", "A"]
        var refused = 0, accepted = 0
        for _ in 0..<4_000 {
            let count = Int.random(in: 1...12, using: &generator)
            var names = (0..<count).map { "n\($0)" }
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                names[Int.random(in: 0..<count, using: &generator)] = pool.randomElement(using: &generator)!
            }
            let expected = !hasRepeat(names)
            XCTAssertEqual(read(names), expected, "\(names)")
            if expected { accepted += 1 } else { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 150)
        XCTAssertGreaterThan(accepted, 300)
    }
}
