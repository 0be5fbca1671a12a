import SessionCookies
import XCTest

/// Joining a chunked cookie straight from the header's bytes (`CookieChunks.join(header:...)`,
/// what `NextAuthCookie.token(fromCookieHeader:)` runs) must read every header exactly as
/// parsing it into `RequestCookies` and joining the pairs does: the same value, the same
/// `malformed`, the same refusal of the header. Random headers built from the cases that
/// matter: the whole name, chunks in any order with gaps, repeats, leading zeros and indices
/// past the limit, empty and quoted values, spaces and tabs, other cookies, control bytes and
/// more cookies than the limit.
final class ChunkJoinTests: XCTestCase {
    let cookieName = "__Secure-next-auth.session-token"

    func reference(_ header: String, maxLength: Int) -> CookieChunks.Reading? {
        guard let cookies = try? RequestCookies(header: header) else { return nil }
        return CookieChunks.join(cookies, name: cookieName, maxLength: maxLength)
    }

    func testJoiningFromTheHeaderReadsAsParsingThenJoining() {
        var generator = SystemRandomNumberGenerator()
        let suffixes = ["", ".0", ".1", ".2", ".3", ".00", ".01", ".10", ".63", ".64", ".99", ".x", "x", ".", ".0.1"]
        let values = ["abc", "", "\"q\"", "\"\"", "d.e-f_g", String(repeating: "z", count: 3_000), "a=b", " sp ", "\t"]
        var counts: [String: Int] = [:]
        for round in 0..<3_000 {
            var pieces: [String] = []
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<6: pieces.append("\(cookieName)\(suffixes.randomElement(using: &generator)!)=\(values.randomElement(using: &generator)!)")
                case 6: pieces.append("other=\(values.randomElement(using: &generator)!)")
                case 7: pieces.append("  \(cookieName).\(Int.random(in: 0..<4, using: &generator)) =\tv\(round) ")
                case 8: pieces.append(["", "novalue", "=x", "a\u{1}b=c", "x=\u{7F}"].randomElement(using: &generator)!)
                default: pieces.append(contentsOf: (0..<Int.random(in: 0..<200, using: &generator)).map { "c\($0)=1" })
                }
            }
            // Ordered chunk sets too, which are mostly valid.
            if round % 3 == 0 {
                pieces = (0..<Int.random(in: 1...5, using: &generator)).map { "\(cookieName).\($0)=part\($0)" } + Array(pieces.prefix(1))
                pieces.shuffle(using: &generator)
            }
            let header = pieces.joined(separator: Bool.random(using: &generator) ? "; " : ";")
            let maxLength = [8, 100, 16_384].randomElement(using: &generator)!
            let got = CookieChunks.join(header: header, name: cookieName, limits: .default, maxLength: maxLength)
            XCTAssertEqual(got, reference(header, maxLength: maxLength), header)
            switch got {
            case nil: counts["refused", default: 0] += 1
            case .absent?: counts["absent", default: 0] += 1
            case .malformed?: counts["malformed", default: 0] += 1
            case .value?: counts["value", default: 0] += 1
            }
        }
        // Every outcome was reached, so the comparison covered each.
        for outcome in ["refused", "absent", "malformed", "value"] {
            XCTAssertGreaterThan(counts[outcome, default: 0], 50, "\(outcome): \(counts)")
        }
    }

    func testHeaderLimitsAreThoseOfRequestCookies() {
        let big = String(repeating: "a", count: CookieLimits.default.maxHeaderBytes)
        XCTAssertNil(CookieChunks.join(header: "x=\(big)", name: cookieName, limits: .default, maxLength: 16_384))
        let many = (0..<(CookieLimits.default.maxCookies + 1)).map { "c\($0)=1" }.joined(separator: "; ")
        XCTAssertNil(CookieChunks.join(header: "\(cookieName)=v; " + many, name: cookieName, limits: .default, maxLength: 16_384))
        XCTAssertEqual(CookieChunks.join(header: "\(cookieName).0=a; \(cookieName).1=b", name: cookieName, limits: .default, maxLength: 2),
                       .value("ab"))
        XCTAssertEqual(CookieChunks.join(header: "\(cookieName).0=a; \(cookieName).1=bc", name: cookieName, limits: .default, maxLength: 2),
                       .malformed)
    }
}
