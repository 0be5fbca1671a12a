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

/// The Cookie parser skips plain bytes sixteen, then eight at a time: every byte that matters
/// (`;`, `=`, a control, DEL) must be found at every offset. A reference parser written the
/// plain way, byte by byte, reads random headers of long values with such bytes placed at
/// random positions.
final class CookieScanTests: XCTestCase {
    func reference(_ header: String) -> [CookiePair]? {
        let bytes = Array(header.utf8)
        if bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) { return nil }
        var pairs: [CookiePair] = []
        for piece in bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            func trimmed(_ part: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
                var part = part
                while let first = part.first, first == 0x20 || first == 0x09 { part.removeFirst() }
                while let last = part.last, last == 0x20 || last == 0x09 { part.removeLast() }
                return part
            }
            let name = trimmed(piece[piece.startIndex..<equals])
            guard !name.isEmpty else { continue }
            var value = trimmed(piece[(equals + 1)...])
            if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            pairs.append(CookiePair(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        return pairs.count <= CookieLimits.default.maxCookies ? pairs : nil
    }

    func testEveryByteThatMattersIsFoundAtEveryOffset() {
        var generator = SystemRandomNumberGenerator()
        let specials: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "="), 0x09, 0x20, 0x01, 0x1F, 0x7F, UInt8(ascii: "\"")]
        for _ in 0..<3_000 {
            var bytes = Array("a=".utf8) + (0..<Int.random(in: 0...90, using: &generator)).map { _ in
                UInt8.random(in: 0x21...0x7E, using: &generator)
            }
            for _ in 0..<Int.random(in: 0...3, using: &generator) where bytes.count > 3 {
                bytes[Int.random(in: 2..<bytes.count, using: &generator)] = specials.randomElement(using: &generator)!
            }
            // Non-ASCII is plain to the scan (a value may hold UTF-8).
            if Bool.random(using: &generator) { bytes += Array("é=ü".utf8) }
            let header = String(decoding: bytes, as: UTF8.self)
            XCTAssertEqual((try? RequestCookies(header: header))?.pairs, reference(header), "\(bytes)")
        }
    }
}

final class CookieOctetTests: XCTestCase {
    /// The mask `isValidValue` tests bytes with is `isCookieOctet`, bit for bit, and a value is
    /// valid exactly when each of its bytes is one (quotes around it aside).
    func testTheMaskIsTheCookieOctetClass() {
        let (low, high) = CookieSyntax.cookieOctetMask
        for b in 0..<128 {
            let bit = b < 64 ? (low >> UInt64(b)) & 1 : (high >> UInt64(b - 64)) & 1
            XCTAssertEqual(bit == 1, CookieSyntax.isCookieOctet(UInt8(b)), "byte \(b)")
        }
        for b in 0..<256 {
            let byte = UInt8(b)
            let text = String(decoding: [UInt8(ascii: "a"), byte, UInt8(ascii: "b")], as: UTF8.self)
            XCTAssertEqual(CookieSyntax.isValidValue(text), CookieSyntax.isCookieOctet(byte), "byte \(b)")
        }
        XCTAssertTrue(CookieSyntax.isValidValue("\"quoted\""))
        XCTAssertFalse(CookieSyntax.isValidValue("\"a\"b\""))
        XCTAssertTrue(CookieSyntax.isValidValue(""))
    }
}
