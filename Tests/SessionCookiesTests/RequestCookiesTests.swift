import SessionCookies
import SessionTokenTestSupport
import XCTest

/// `Cookie` header parsing: what browsers send, the bounds, first-wins, never a crash.
final class RequestCookiesTests: XCTestCase {
    /// The scan of a header over the limits finds only the named cookie and the chunks of the
    /// session cookie, however many other cookies fill the header, and keeps the rules: a name
    /// sent twice reads as absent, a control character empties the result.
    func testScanningAHeaderOverTheLimitsFindsOnlyWhatItLooksFor() throws {
        let planted = (0..<500).map { "p\($0)=x" }.joined(separator: "; ")
        XCTAssertThrowsError(try RequestCookies(header: planted))
        let header = planted + "; csrf=c1; s=whole; s.0=a; s.12=b; s.x=no; s.123=no; sx=no; s.=no; csrfx=no"
        let found = RequestCookies.scanning(header: header, for: "csrf", chunked: "s")
        XCTAssertEqual(found.names, ["csrf", "s", "s.0", "s.12"])
        XCTAssertEqual(found["csrf"], "c1")
        XCTAssertNil(RequestCookies.scanning(header: planted + "; csrf=a; csrf=b", for: "csrf", chunked: "s")["csrf"])
        XCTAssertEqual(RequestCookies.scanning(header: "csrf=a\u{1}; s=b", for: "csrf", chunked: "s").names, [])
        XCTAssertEqual(
            RequestCookies.scanning(header: String(repeating: "a=b; ", count: 14_000) + "csrf=a", for: "csrf", chunked: "s").names,
            [], "over the scan's byte bound")
    }

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
        let limits = CookieLimits(maxHeaderBytes: 10_000, maxCookies: 2)
        XCTAssertCookieError(.malformedHeader, try RequestCookies(header: "a=1; b=2; c=3; d=\r", limits: limits),
                             "a control character past the cookie limit is still the error")
    }

    /// Small headers are searched in order, large ones through an index: the answers must not
    /// depend on which (repeated names absent, names compared as bytes, the last of many found).
    func testLookupIsTheSameAboveAndBelowTheIndexThreshold() throws {
        for filler in [0, 2, 15, 16, 17, 60] {
            let fill = (0..<filler).map { "f\($0)=x" }
            let header = (["sid=one", "theme=dark", "KSID=k", "theme=light"] + fill + ["last=z"]).joined(separator: "; ")
            let cookies = try RequestCookies(header: header)
            XCTAssertEqual(cookies["sid"], "one", "\(filler)")
            XCTAssertNil(cookies["theme"], "sent twice, \(filler)")
            XCTAssertTrue(cookies.isRepeated("theme"), "\(filler)")
            XCTAssertFalse(cookies.isRepeated("sid"), "\(filler)")
            XCTAssertEqual(cookies["KSID"], "k", "\(filler)")
            XCTAssertNil(cookies["\u{212A}SID"], "Kelvin sign is not K, \(filler)")
            XCTAssertNil(cookies["si"], "a prefix is not the name, \(filler)")
            XCTAssertNil(cookies["sidx"], "\(filler)")
            XCTAssertEqual(cookies["last"], "z", "\(filler)")
            XCTAssertNil(cookies["absent"], "\(filler)")
            if filler > 0 { XCTAssertEqual(cookies["f\(filler - 1)"], "x") }
        }
    }

    func testLimitsBelowOneCountAsOne() {
        XCTAssertEqual(CookieLimits(maxHeaderBytes: 0, maxCookies: -5), CookieLimits(maxHeaderBytes: 1, maxCookies: 1))
    }

    /// The word-at-a-time parser against a plain reading of the same rules, over random headers
    /// dense in the bytes it stops at (`;`, `=`, tab, quotes, controls, DEL, non-ASCII), at every
    /// offset from the eight-byte boundaries.
    func testParserAgreesWithAPlainReadingOverRandomHeaders() throws {
        var random = SeededRandom(seed: 0xC00C_1E5A_11)
        let alphabet: [UInt8] = Array("ab=; \t\"x".utf8) + [0x01, 0x1F, 0x7F, 0xC3, 0xA9, 0x3D, 0x3B]
        for _ in 0..<3_000 {
            let length = Int(random.next() % 40)
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            if random.next() % 2 == 0 { bytes.removeAll { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F } }
            let header = String(decoding: bytes, as: UTF8.self)
            let expected = Self.plainReading(Array(header.utf8))
            let parsed = try? RequestCookies(header: header).pairs
            XCTAssertEqual(parsed, expected, header.debugDescription)
        }
    }

    /// RequestCookies' rules read the slow way; nil for a header with a control byte.
    private static func plainReading(_ bytes: [UInt8]) -> [CookiePair]? {
        guard !bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { return nil }
        func trimmed(_ part: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var part = part
            while let first = part.first, first == 0x20 || first == 0x09 { part = part.dropFirst() }
            while let last = part.last, last == 0x20 || last == 0x09 { part = part.dropLast() }
            return part
        }
        return bytes.split(separator: 0x3B, omittingEmptySubsequences: false).compactMap { piece in
            guard let equals = piece.firstIndex(of: 0x3D) else { return nil }
            let name = trimmed(piece[piece.startIndex..<equals])
            guard !name.isEmpty else { return nil }
            var value = trimmed(piece[(equals + 1)...])
            if value.count >= 2, value.first == 0x22, value.last == 0x22 { value = value.dropFirst().dropLast() }
            return CookiePair(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
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
