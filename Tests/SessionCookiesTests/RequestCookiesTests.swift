import SessionCookies
import SessionTokenTestSupport
import XCTest

/// `Cookie` header parsing: what browsers send, the bounds, first-wins, never a crash.
final class RequestCookiesTests: XCTestCase {
    func testParsesWhatBrowsersSend() throws {
        let cookies = try RequestCookies(header: "a=1; b=2;c=3 ;  d = 4\t; e=; f=x=y")
        XCTAssertEqual(cookies.pairs.map(\.name), ["a", "b", "c", "d", "e", "f"])
        XCTAssertEqual(cookies["a"], "1")
        XCTAssertEqual(cookies["c"], "3")
        XCTAssertEqual(cookies["d"], "4")
        XCTAssertEqual(cookies["e"], "")
        XCTAssertEqual(cookies["f"], "x=y", "only the first = separates")
        XCTAssertNil(cookies["g"])
    }

    func testQuotedValuesLoseOnePairOfQuotes() throws {
        let cookies = try RequestCookies(header: #"a="quoted"; b=""; c="half; d=""x"""#)
        XCTAssertEqual(cookies["a"], "quoted")
        XCTAssertEqual(cookies["b"], "")
        XCTAssertEqual(cookies["c"], "\"half")
        XCTAssertEqual(cookies["d"], "\"x\"")
    }

    func testSkipsPiecesWithoutNameOrEquals() throws {
        let cookies = try RequestCookies(header: ";;novalue; =anon; ; a=1;")
        XCTAssertEqual(cookies.pairs, [CookiePair(name: "a", value: "1")])
    }

    func testEmptyHeaders() throws {
        XCTAssertTrue(try RequestCookies(header: "").isEmpty)
        XCTAssertTrue(try RequestCookies(header: "   ").isEmpty)
        XCTAssertTrue(try RequestCookies(header: ";").isEmpty)
    }

    /// A browser sends both cookies of one name (one per path or domain), longer paths first
    /// (RFC 6265 §5.4), so an injected cookie with a more specific path comes first: neither
    /// position can be trusted, and the name reads as absent.
    func testRepeatedNameReadsAsAbsent() throws {
        let cookies = try RequestCookies(header: "sid=specific; theme=dark; sid=parent-domain")
        XCTAssertNil(cookies["sid"])
        XCTAssertTrue(cookies.isRepeated("sid"))
        XCTAssertFalse(cookies.isRepeated("theme"))
        XCTAssertEqual(cookies["theme"], "dark")
        XCTAssertEqual(cookies.values(named: "sid"), ["specific", "parent-domain"])
        XCTAssertEqual(cookies.names, ["sid", "theme"])
        XCTAssertEqual(cookies.count, 3)
    }

    /// Names are looked up by bytes: a cookie named with KELVIN SIGN (U+212A), which Swift's
    /// `String` equality equates with "K", neither shadows nor repeats `KSID`.
    func testNamesCompareAsBytes() throws {
        let cookies = try RequestCookies(header: "\u{212A}SID=attacker; KSID=real")
        XCTAssertEqual(cookies["KSID"], "real")
        XCTAssertEqual(cookies["\u{212A}SID"], "attacker")
        XCTAssertFalse(cookies.isRepeated("KSID"))
        XCTAssertEqual(cookies.values(named: "KSID"), ["real"])
        let decomposed = try RequestCookies(header: "A\u{030A}=decomposed")
        XCTAssertNil(decomposed["\u{00C5}"], "canonically equivalent, different bytes")
    }

    func testKeepsNonASCIIAndOddBytesAsSent() throws {
        let cookies = try RequestCookies(header: "név=érték; a b=c d; x=%7C")
        XCTAssertEqual(cookies["név"], "érték")
        XCTAssertEqual(cookies["a b"], "c d")
        XCTAssertEqual(cookies["x"], "%7C", "values are not decoded")
    }

    func testHeaderSizeLimit() throws {
        let limits = CookieLimits(maxHeaderBytes: 20, maxCookies: 10)
        XCTAssertNoThrow(try RequestCookies(header: String(repeating: "a", count: 18) + "=1", limits: limits))
        XCTAssertCookieError(.headerTooLarge(limit: 20),
                             try RequestCookies(header: String(repeating: "a", count: 19) + "=1", limits: limits))
        XCTAssertCookieError(.headerTooLarge(limit: 32_768),
                             try RequestCookies(header: "a=" + String(repeating: "x", count: 40_000)))
    }

    func testCookieCountLimit() throws {
        let limits = CookieLimits(maxHeaderBytes: 10_000, maxCookies: 3)
        XCTAssertNoThrow(try RequestCookies(header: "a=1; b=2; c=3; ; junk", limits: limits))
        XCTAssertCookieError(.tooManyCookies(limit: 3), try RequestCookies(header: "a=1; b=2; c=3; d=4", limits: limits))
        let many = (0..<181).map { "c\($0)=v" }.joined(separator: "; ")
        XCTAssertCookieError(.tooManyCookies(limit: 180), try RequestCookies(header: many))
    }

    func testControlCharactersAreRefused() {
        for bad in ["a=1\r\nSet-Cookie: x=y", "a=1\n", "a=\u{0}", "a=\u{7F}", "a\u{1}=b", "a=b\rc"] {
            XCTAssertCookieError(.malformedHeader, try RequestCookies(header: bad), bad.debugDescription)
        }
        XCTAssertNoThrow(try RequestCookies(header: "a=1;\tb=2"), "a tab is white space")
    }

    func testLimitsBelowOneCountAsOne() {
        XCTAssertEqual(CookieLimits(maxHeaderBytes: 0, maxCookies: -5), CookieLimits(maxHeaderBytes: 1, maxCookies: 1))
    }

    /// Random names (RFC 6265 tokens) and values (cookie-octets, never wrapped in quotes): the
    /// header built from them parses back to the same pairs, repeated names included.
    func testRoundTripOverRandomPairs() throws {
        var random = SeededRandom(seed: 0x5E55_10C0_0C1E)
        let nameBytes = Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let valueBytes = (UInt8(0x21)...0x7E).filter { ![0x22, 0x2C, 0x3B, 0x5C].contains($0) }
        for round in 0..<500 {
            let count = Int.random(in: 0...12, using: &random)
            var pairs: [CookiePair] = []
            for _ in 0..<count {
                let name = String(decoding: (0..<Int.random(in: 1...12, using: &random)).map { _ in
                    nameBytes.randomElement(using: &random) ?? 0x61
                }, as: UTF8.self)
                let value = String(decoding: (0..<Int.random(in: 0...40, using: &random)).map { _ in
                    valueBytes.randomElement(using: &random) ?? 0x61
                }, as: UTF8.self)
                pairs.append(CookiePair(name: Bool.random(using: &random) && !pairs.isEmpty ? pairs[0].name : name,
                                        value: value))
            }
            let built = RequestCookies(pairs: pairs)
            let parsed = try RequestCookies(header: built.headerValue)
            XCTAssertEqual(parsed, built, "round \(round): \(built.headerValue)")
            if let first = pairs.first {
                let repeated = pairs.filter { $0.name == first.name }.count > 1
                XCTAssertEqual(parsed[first.name], repeated ? nil : first.value, "a repeated name reads as absent")
            }
            // And through Set-Cookie: each pair serialises, and its name=value part reads back.
            for pair in pairs {
                let line = try SetCookie(name: pair.name, value: pair.value, path: "/").headerValue()
                let reread = try RequestCookies(header: String(line.prefix { $0 != ";" }))
                XCTAssertEqual(reread.pairs, [pair])
            }
        }
    }

    /// Random bytes, including every control character and invalid UTF-8: parsing returns or
    /// throws a typed error, never traps, and never returns more than the limits.
    func testRandomBytesNeverCrash() {
        var random = SeededRandom(seed: 42)
        let alphabet: [UInt8] = Array(0...0x7F) + [0xC3, 0xA9, 0xFF, 0x3B, 0x3B, 0x3D, 0x3D, 0x20, 0x22]
        let limits = CookieLimits(maxHeaderBytes: 300, maxCookies: 8)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...320, using: &random)).map { _ in
                alphabet.randomElement(using: &random) ?? 0
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let cookies = try RequestCookies(header: text, limits: limits)
                XCTAssertLessThanOrEqual(cookies.count, 8)
                XCTAssertTrue(cookies.pairs.allSatisfy { !$0.name.isEmpty })
            } catch .headerTooLarge, .tooManyCookies, .malformedHeader {
                // The typed errors of a refused header.
            } catch {
                XCTFail("unexpected \(error)")
            }
        }
    }
}
