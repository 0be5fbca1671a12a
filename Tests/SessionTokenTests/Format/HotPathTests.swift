import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// The hot-path shortcuts against the strict code they stand in for: the claims fast path
/// against the strict reader, the stack claims writer against `JSONWriter`, and the O(1)
/// XC20P split against the generic split.
final class HotPathTests: XCTestCase {
    private let limits = JSONLimits(maxDepth: 16, maxMembers: 256)

    private func randomString(_ r: inout SeededRandom) -> String {
        let pools: [[Unicode.Scalar]] = [
            Array("abcdefghijklmnopqrstuvwxyz0123456789-_.@".unicodeScalars),
            Array("\"\\/ \t\n\r\u{0}\u{1}\u{1F}\u{7F}é€😀".unicodeScalars),
        ]
        let count = Int.random(in: 0...24, using: &r)
        var s = ""
        for _ in 0..<count {
            let pool = pools[Int.random(in: 0...9, using: &r) == 0 ? 1 : 0]
            s.unicodeScalars.append(pool[Int.random(in: 0..<pool.count, using: &r)])
        }
        return s
    }

    private func strict(_ payload: UnsafeRawBufferPointer) -> SessionClaims? {
        try? ClaimsReader.readStrict(payload, limits: limits)
    }

    private func fast(_ bytes: [UInt8]) -> SessionClaims? {
        bytes.withUnsafeBytes { ClaimsReader.readFast($0, limits: limits) }
    }

    private func strict(_ bytes: [UInt8]) -> SessionClaims? {
        bytes.withUnsafeBytes { strict($0) }
    }

    /// Random claims sealed by this library give identical claims through both readers, and
    /// `open` returns exactly them.
    func testSealedClaimsReadTheSameThroughBothPaths() throws {
        var r = SeededRandom(seed: 0x5E55_10A7)
        var fastHits = 0
        for round in 0..<400 {
            let issuer = Bool.random(using: &r) ? "iss-" + randomString(&r) : nil
            let audience = Bool.random(using: &r) ? "aud-" + randomString(&r) : nil
            let absolute: TimeInterval? = Bool.random(using: &r) ? 90 * 86_400 : nil
            let sealer = try SessionSealer(
                keys: Fixture.ring, issuer: issuer, audience: audience, absoluteLifetime: absolute)
            let subject = randomString(&r)
            // Whole seconds, or any time in them: a new session's `auth_time` is in milliseconds.
            let sealedAt = Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &r))
                + (Bool.random(using: &r) ? Double.random(in: 0..<1, using: &r) : 0))
            let token: String
            if round % 4 == 3 {
                struct Custom: Codable { var role: String; var n: Int }
                token = try sealer.seal(subject: subject, custom: Custom(role: randomString(&r), n: round), at: sealedAt).token
            } else {
                token = try sealer.seal(subject: subject, at: sealedAt).token
            }
            let now = sealedAt.addingTimeInterval(10)
            let (session, strictClaims, fastClaims) = try sealer.withOpenedToken(token, at: now) {
                session, payload throws(SessionTokenError) in
                (session, strict(payload), ClaimsReader.readFast(payload, limits: limits))
            }
            XCTAssertEqual(session.claims, strictClaims, "round \(round)")
            if let fastClaims {
                fastHits += 1
                XCTAssertEqual(fastClaims, strictClaims, "round \(round)")
            }
            XCTAssertEqual(try sealer.open(token, at: now), session)
        }
        XCTAssertGreaterThan(fastHits, 25, "the fast path should take the plain-ASCII claims (about one round in eight here)")
    }

    /// Mutations of canonical claims: whenever the fast path accepts, the strict reader accepts
    /// with the same claims (the fast path may only decline, never decide).
    func testFastPathNeverDisagreesWithStrictReader() {
        var r = SeededRandom(seed: 0xFA57_0001)
        let seeds = [
            #"{"sub":"user-0123456789","iat":1795910400,"exp":1798502400,"sid":"AAAAAAAAAAAAAAAAAAAAAA","auth_time":1795910400}"#,
            #"{"sub":"u","iat":0,"exp":-0,"sid":"x","auth_time":-12,"iss":"i","aud":"a"}"#,
            #"{"sub":"","iat":123456789012345,"exp":999999999999999,"sid":"","auth_time":1}"#,
        ]
        let inserts: [[UInt8]] = [
            [0x20], [0x0A], Array("0".utf8), Array("1".utf8), Array(".5".utf8), Array("e3".utf8), Array("-".utf8),
            Array("\\".utf8), Array("\"".utf8), Array(",".utf8), Array("}".utf8), Array(#","nbf":1"#.utf8),
            Array(#","x":1"#.utf8), Array(#","sub":"a""#.utf8), [0x00], [0x1F], [0x7F], [0xC3, 0xA9], [0xFF],
            Array(#","aud":["a"]"#.utf8), Array("\\u0041".utf8), Array("9999999999999999".utf8),
        ]
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &r)].utf8)
            for _ in 0..<Int.random(in: 0...3, using: &r) {
                let at = Int.random(in: 0...bytes.count, using: &r)
                switch Int.random(in: 0...2, using: &r) {
                case 0: bytes.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &r)], at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                default: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &r) }
                }
            }
            if let f = fast(bytes) {
                accepted += 1
                XCTAssertEqual(f, strict(bytes), String(decoding: bytes, as: UTF8.self))
            }
        }
        XCTAssertGreaterThan(accepted, 100)
        for seed in seeds { XCTAssertNotNil(fast(Array(seed.utf8))) }
    }

    /// The fast path reads strings sixteen bytes at a time, the last step over the buffer's
    /// final sixteen bytes: every special byte (quote, backslash, control, 0x7F and above) at
    /// every position of strings of every length up to 48 (`sid` too up to its inline
    /// capacity, 24, which puts it at every offset from the end of the buffer) is declined or
    /// read as the strict reader reads it, and plain strings of every length are taken.
    func testStringScanAtEveryPositionAndLength() {
        let specials: [UInt8] = [0x00, 0x01, 0x1F, 0x22, 0x5C, 0x7F, 0x80, 0xC3, 0xFF]
        let edges: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E]
        for length in 0...48 {
            let plain = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            let sidFollows = length <= InlineText.capacity
            func claims(_ sub: [UInt8]) -> [UInt8] {
                Array(#"{"sub":""#.utf8) + sub + Array(#"","iat":1,"exp":2,"sid":""#.utf8) + (sidFollows ? sub : [])
                    + Array(#"","auth_time":1}"#.utf8)
            }
            let expected = SessionClaims(
                subject: String(decoding: plain, as: UTF8.self), issuedAt: Date(timeIntervalSince1970: 1),
                expiresAt: Date(timeIntervalSince1970: 2), authenticatedAt: Date(timeIntervalSince1970: 1),
                sessionID: sidFollows ? String(decoding: plain, as: UTF8.self) : "")
            XCTAssertEqual(fast(claims(plain)), expected, "length \(length)")
            for position in 0..<length {
                for byte in specials + edges {
                    var sub = plain
                    sub[position] = byte
                    let bytes = claims(sub)
                    if let f = fast(bytes) {
                        XCTAssertTrue(edges.contains(byte), "took byte \(byte) at \(position) of \(length)")
                        XCTAssertEqual(f, strict(bytes))
                    } else {
                        XCTAssertTrue(specials.contains(byte), "declined byte \(byte) at \(position) of \(length)")
                    }
                }
            }
        }
    }

    /// The fast path reads up to eight digits at once: integers of every digit count from 1 to
    /// 16, at every offset the `iat` member can start at, agree with the strict reader, and
    /// those it cannot take (16 digits, leading zeros) are declined.
    func testIntegerScanAgainstStrictReader() {
        var r = SeededRandom(seed: 0xD1_6175)
        for digits in 1...16 {
            for _ in 0..<40 {
                var number = String(Int.random(in: 1...9, using: &r))
                for _ in 1..<digits { number += String(Int.random(in: 0...9, using: &r)) }
                for sign in ["", "-"] {
                    for sub in ["", "a", "abcdefg", "abcdefgh"] {
                        for after in [",", ".5,", "e1,", "0,"] {
                            let text = #"{"sub":"\#(sub)","iat":\#(sign)\#(number)\#(after)"exp":2,"sid":"j","auth_time":3}"#
                            let bytes = Array(text.utf8)
                            let f = fast(bytes)
                            let digitCount = digits + (after == "0," ? 1 : 0)
                            if after == "," || after == "0," {
                                if digitCount <= 15 {
                                    XCTAssertNotNil(f, text)
                                    XCTAssertEqual(f, strict(bytes), text)
                                    XCTAssertEqual(f?.issuedAt?.timeIntervalSince1970, Double(sign + number + (after == "0," ? "0" : "")), text)
                                } else {
                                    XCTAssertNil(f, text)
                                }
                            } else {
                                XCTAssertNil(f, text)
                            }
                        }
                    }
                }
            }
        }
        for leadingZero in [#"{"sub":"a","iat":00,"exp":2,"sid":"j","auth_time":3}"#, #"{"sub":"a","iat":012345678,"exp":2,"sid":"j","auth_time":3}"#,
                            #"{"sub":"a","iat":-01,"exp":2,"sid":"j","auth_time":3}"#, #"{"sub":"a","iat":-,"exp":2,"sid":"j","auth_time":3}"#] {
            XCTAssertNil(fast(Array(leadingZero.utf8)), leadingZero)
        }
        XCTAssertEqual(fast(Array(#"{"sub":"a","iat":0,"exp":2,"sid":"j","auth_time":3}"#.utf8))?.issuedAt, Date(timeIntervalSince1970: 0))
    }

    /// `auth_time` in milliseconds, as sign-in writes it: integer parts of 1 to 13 digits with
    /// 0 to 4 fraction digits, either sign, agree with the strict reader (the same Double, the
    /// one `Double(String)` gives) when taken; 12 digits or fewer with one to three fraction
    /// digits are taken, the rest declined.
    func testMillisecondScanAgainstStrictReader() {
        var r = SeededRandom(seed: 0x3111_5EC0)
        var taken = 0
        for digits in 1...13 {
            for fractionDigits in 0...4 {
                for _ in 0..<60 {
                    var number = String(Int.random(in: 1...9, using: &r))
                    for _ in 1..<digits { number += String(Int.random(in: 0...9, using: &r)) }
                    if fractionDigits > 0 {
                        number += "." + (0..<fractionDigits).map { _ in String(Int.random(in: 0...9, using: &r)) }.joined()
                    }
                    for sign in ["", "-"] {
                        let text = #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":\#(sign)\#(number)}"#
                        let bytes = Array(text.utf8)
                        let f = fast(bytes)
                        let takes = fractionDigits == 0 ? digits <= 15 : digits <= 12 && fractionDigits <= 3
                        if takes {
                            taken += 1
                            XCTAssertEqual(f, strict(bytes), text)
                            // Compared as Dates: a Date keeps seconds since 2001, so a time near
                            // 1970 does not come back bit for bit.
                            let decimal: Double? = Double(sign + number)
                            XCTAssertEqual(f?.authenticatedAt, decimal.map(Date.init(timeIntervalSince1970:)), text)
                        } else {
                            XCTAssertNil(f, text)
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(taken, 5_000)
        for declined in ["1.", "1.e3", "1.5e3", "1.5E3", "01.5", "-.5", ".5", "1.5.5", "1..5"] {
            let text = #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":\#(declined)}"#
            XCTAssertNil(fast(Array(text.utf8)), text)
        }
        // Only `auth_time` takes fractions: `iat` and `exp` are whole seconds when sealed here.
        XCTAssertNil(fast(Array(#"{"sub":"a","iat":1.5,"exp":2,"sid":"j","auth_time":1}"#.utf8)))
        XCTAssertNil(fast(Array(#"{"sub":"a","iat":1,"exp":2.5,"sid":"j","auth_time":1}"#.utf8)))
    }

    /// The unknown-`kid` shortcut: a header in the canonical form (either `enc`, any valid key
    /// ID) is recognised, and nothing else is: other member orders, white space, escapes,
    /// extra members, other algorithms or encodings, IDs outside the key ID alphabet or of
    /// 0 or 65 characters. Opening refuses every canonical header that misses the ring's index
    /// and still parses the rest in full.
    func testCanonicalHeaderShortcut() throws {
        func segment(_ json: String) -> [UInt8] { Array(Fixture.base64URL(json).utf8) }
        func canonical(_ json: String) -> Bool { segment(json).withUnsafeBytes { ProtectedHeader.isCanonicalForm(segment: $0) } }
        let longest = String(repeating: "k", count: 64)
        for kid in ["k", "k1", "A-z_0.9", longest] {
            for encryption in TokenEncryption.allCases {
                let json = String(decoding: ProtectedHeader.canonicalJSON(kid: kid, encryption: encryption), as: UTF8.self)
                XCTAssertTrue(canonical(json), json)
            }
        }
        let others = [
            #"{"alg":"dir","enc":"XC20P","kid":""}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"\#(longest)k"}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k 1"}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k\u0031"}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k/1"}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k1","x":1}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k1"} "#,
            #"{"alg":"dir","enc":"XC20P","kid":"k1"}}"#,
            #"{"alg":"dir","enc":"XC20P","kid":"k1""#,
            #"{"alg":"dir", "enc":"XC20P","kid":"k1"}"#,
            #"{"kid":"k1","enc":"XC20P","alg":"dir"}"#,
            #"{"alg":"dir","enc":"A128GCM","kid":"k1"}"#,
            #"{"alg":"A256KW","enc":"XC20P","kid":"k1"}"#,
            #"{"alg":"dir","enc":"XC20P"}"#,
            #"{"alg":"dir","enc":"XC20P","kid":1}"#,
        ]
        for json in others { XCTAssertFalse(canonical(json), json) }
        // Canonical and unknown, or naming a key under the other `enc`: refused; the same key
        // in another member order still opens.
        let sealer = try SessionSealer(keys: KeyRing(primary: Fixture.key1))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let claims = #"{"sub":"u","iat":1799999000,"exp":1800009000,"sid":"j","auth_time":1799999000}"#
        for header in [#"{"alg":"dir","enc":"XC20P","kid":"k9"}"#, #"{"alg":"dir","enc":"A256GCM","kid":"k1"}"#] {
            XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: header, claims: claims, key: Fixture.key1), at: now))
        }
        XCTAssertEqual(
            try sealer.open(Fixture.forge(header: #"{"enc":"XC20P","alg":"dir","kid":"k1"}"#, claims: claims, key: Fixture.key1), at: now).subject,
            "u")
    }

    /// The header index hashes only a segment's length and last sixteen bytes; it must still
    /// find exactly the equal segment when many share that tail (kids that differ only early),
    /// refuse segments that differ anywhere else, and work for segments shorter than a word.
    func testHeaderIndexFindsExactSegmentsWhenTailsCollide() throws {
        // 40 kids of one length differing only in their first characters: their canonical
        // segments share the last 16 bytes, so every one of them hashes to the same slot.
        let kids = (0..<40).map { String(format: "%02d", $0) + "-same-suffix-for-every-key" }
        let segments = kids.map { Array(Fixture.base64URL(#"{"alg":"dir","enc":"XC20P","kid":"\#($0)"}"#).utf8) }
        XCTAssertEqual(Set(segments.map { $0.suffix(16) }).count, 1, "the test needs colliding tails")
        let short: [[UInt8]] = [[], Array("a".utf8), Array("abcdefg".utf8), Array("abcdefgh".utf8), Array("abcdefghijklmno".utf8)]
        let all = segments + short
        let index = HeaderIndex(segments: all)
        // Every segment, and near misses of each (one bit flipped at the start, middle or end,
        // one byte fewer or more): found exactly when equal to a member.
        var candidates = all
        for segment in all where !segment.isEmpty {
            for position in [0, segment.count / 2, segment.count - 1] {
                var changed = segment
                changed[position] ^= 0x01
                candidates.append(changed)
            }
            candidates.append(Array(segment.dropLast()))
            candidates.append(segment + [UInt8(ascii: "A")])
        }
        var found = 0
        for candidate in candidates {
            let expected = all.firstIndex(of: candidate)
            XCTAssertEqual(candidate.withUnsafeBytes { index.lookup($0) }, expected, "\(candidate)")
            if expected != nil { found += 1 }
        }
        // The members, plus the two short ones that are another member less its last byte.
        XCTAssertEqual(found, all.count + 2)

        // Through the sealer: a ring of such keys opens each key's token with that key.
        let keys = try kids.prefix(8).enumerated().map { i, kid in
            try SessionKey(id: kid, bytes: [UInt8](repeating: UInt8(i + 1), count: 32))
        }
        let ring = try SessionSealer(keys: KeyRing(primary: keys[0], accepted: Array(keys.dropFirst())))
        for key in keys {
            let token = try SessionSealer(keys: KeyRing(primary: key)).seal(subject: "u", at: Fixture.now).token
            XCTAssertEqual(try ring.open(token, at: Fixture.now).keyID, key.id)
        }
    }

    /// Rings whose kids differ only in their last characters (the usual `…-k0` … `…-k7`, dates,
    /// counters) or are derived IDs must spread over the index: a key found after a long run
    /// of other keys' comparisons costs every open under it (an earlier hash put the eighth
    /// of eight `bench-kN` keys four slots past its own, and the one before it put one of
    /// `k1` … `k8` five slots past).
    func testHeaderIndexSpreadsSimilarKids() throws {
        func index(_ kids: [String]) -> HeaderIndex {
            HeaderIndex(segments: kids.map { Array(Fixture.base64URL(#"{"alg":"dir","enc":"XC20P","kid":"\#($0)"}"#).utf8) })
        }
        let families: [[String]] = [
            (0..<8).map { "bench-k\($0)" },
            (1...8).map { "k\($0)" },
            (1...8).map { String(format: "key-2026-%02d", $0) },
            (0..<8).map { "session-key-v\($0 + 10)" },
            try (0..<8).map { try SessionKey(id: "d", bytes: [UInt8](repeating: UInt8($0), count: 32)).derivedID },
        ]
        for kids in families {
            // Eight keys in sixteen slots: this hash gives 0, 2, 1, 1 and 2 for these families.
            XCTAssertLessThanOrEqual(index(kids).longestProbe, 3, "\(kids)")
        }
    }

    /// The fast path declines what it does not handle, leaving it to the strict reader.
    func testFastPathDeclinesOtherForms() {
        let declined = [
            #" {"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3} "#,
            #"{"sub":"a","iat":1.5,"exp":2,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":2e3,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":2,"jti":"j"}"#,
            #"{"sub":"a","iat":1,"exp":2,"sid":"j"}"#,
            #"{"sub":"a","iat":1,"exp":2,"auth_time":3,"sid":"j"}"#,
            #"{"sub":"a","iat":01,"exp":2,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3,"x":1}"#,
            #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3,"aud":["a"]}"#,
            #"{"sub":"a\"b","iat":1,"exp":2,"sid":"j","auth_time":3}"#,
            #"{"sub":"é","iat":1,"exp":2,"sid":"j","auth_time":3}"#,
            #"{"iat":1,"sub":"a","exp":2,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":1234567890123456,"sid":"j","auth_time":3}"#,
            #"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3,"nbf":1}"#,
        ]
        for text in declined { XCTAssertNil(fast(Array(text.utf8)), text) }
        XCTAssertNil(Array(#"{"sub":"a","iat":1,"exp":2,"sid":"j","auth_time":3}"#.utf8).withUnsafeBytes {
            ClaimsReader.readFast($0, limits: JSONLimits(maxDepth: 16, maxMembers: 4))
        })
    }

    /// The eight-digit word the claims writer stores for the last digits of long numbers: every
    /// digit value in every position, both sides of every power of ten and of the halves'
    /// boundary, and random values, against the decimal text.
    func testEightDigitsAgainstDecimalText() {
        var r = SeededRandom(seed: 0x8D16_17)
        var values: [UInt64] = [0, 99_999_999]
        for k in 0..<8 {
            let p = UInt64(pow(10, Double(k)))
            values += (0...9).map { $0 * p }
            values += [p - 1, p + 1, 99_999_999 - p, 100_000_000 - p]
        }
        values += (9_990...10_010).map { UInt64($0) } + (99_990_000...99_990_020).map { UInt64($0) }
        values += (0..<20_000).map { _ in UInt64.random(in: 0..<100_000_000, using: &r) }
        for value in values {
            let word = ClaimsBuffer.eightDigits(value).littleEndian
            let text = withUnsafeBytes(of: word) { Array($0) }
            let decimal = String(value)
            let expected = Array((String(repeating: "0", count: 8 - decimal.count) + decimal).utf8)
            XCTAssertEqual(text, expected, "\(value)")
        }
    }

    /// The stack claims writer writes exactly what `JSONWriter` writes.
    func testClaimsBufferMatchesJSONWriter() {
        var r = SeededRandom(seed: 0xB0FF_E125)
        let numbers: [Double] = [
            0, -0.0, 1, -1, 1_795_910_400, 999_999_999_999_999, -999_999_999_999_999, 1e15, -1e15, 1.5, 1e300,
            -1.7976931348623157e308, Double.leastNonzeroMagnitude, 123.456, .infinity, -.infinity, .nan,
            // Milliseconds (a sign-in's `auth_time`) and numbers just outside what that path writes.
            1_795_910_400.123, 1_795_910_400.5, 1_795_910_400.05, 1_795_910_400.007, -0.5, 0.001, -0.001,
            999_999_999_999.999, -999_999_999_999.999, 1_000_000_000_000.5, 0.0005, 1_795_910_400.0005,
        ]
        // Every digit count of the integer path, at both ends of it and just past them
        // (digits are written two at a time, so odd and even counts take different exits).
        let edges: [Double] = (0...15).flatMap { k -> [Double] in
            let p = pow(10, Double(k))
            return [p - 1, p, p + 1, -(p - 1), -p, -(p + 1)]
        }
        for x in numbers + edges {
            var writer = JSONWriter()
            writer.append(number: x)
            let got = withUnsafeTemporaryAllocation(byteCount: ClaimsBuffer.maxNumberLength, alignment: 1) { buffer -> [UInt8] in
                var claims = ClaimsBuffer(buffer)
                claims.append(number: x)
                return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<claims.count]))
            }
            XCTAssertEqual(got, writer.bytes, "\(x)")
        }
        for _ in 0..<2_000 {
            let s = randomString(&r)
            let x: Double
            switch Int.random(in: 0...3, using: &r) {
            case 0: x = numbers[Int.random(in: 0..<numbers.count, using: &r)]
            case 1:
                // An integer of 1 to 16 digits, either sign.
                let digits = Int.random(in: 1...16, using: &r)
                let magnitude = Int64.random(in: 0..<Int64(pow(10, Double(digits))), using: &r)
                x = Double(Bool.random(using: &r) ? magnitude : -magnitude)
            case 2:
                x = Double(Int64.random(in: -2_000_000_000_000_000...2_000_000_000_000_000, using: &r))
                    / (Bool.random(using: &r) ? 1 : 1000)
            default:
                // A time in milliseconds, as sign-in rounds one.
                x = SessionSealer.sessionStart(
                    at: Date(timeIntervalSince1970: Double.random(in: -1e12...1e12, using: &r)))
            }
            var writer = JSONWriter()
            writer.append(member: "sub", first: true)
            writer.append(string: s)
            writer.append(member: "iat")
            writer.append(number: x)
            let got = withUnsafeTemporaryAllocation(
                byteCount: ClaimsBuffer.escapedLength(s) + ClaimsBuffer.maxNumberLength + 32, alignment: 1
            ) { buffer -> [UInt8] in
                var claims = ClaimsBuffer(buffer)
                claims.append(member: "\"sub\":")
                claims.append(string: s)
                claims.append(member: ",\"iat\":")
                claims.append(number: x)
                return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<claims.count]))
            }
            XCTAssertEqual(got, writer.bytes, "\(s.debugDescription) \(x)")
            var quoted = JSONWriter()
            quoted.append(string: s)
            XCTAssertEqual(ClaimsBuffer.escapedLength(s), quoted.bytes.count)
            XCTAssertGreaterThanOrEqual(ClaimsBuffer.escapedLengthBound(s), quoted.bytes.count)
        }
    }

    /// The XC20P split agrees with the generic split followed by the opener's length checks,
    /// except where the generic split sees extra dots inside base64url segments (which the
    /// decoder refuses either way).
    func testXC20PSplitAgreesWithGenericSplit() {
        var r = SeededRandom(seed: 0x5B11_7000)
        let token = try! Fixture.sealer.seal(subject: "user-42", at: Fixture.now).token
        let alphabet = Array("AB.-_x".utf8)
        for _ in 0..<20_000 {
            var bytes = Array(token.utf8)
            for _ in 0..<Int.random(in: 0...3, using: &r) {
                let at = Int.random(in: 0...bytes.count, using: &r)
                switch Int.random(in: 0...2, using: &r) {
                case 0: bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &r)], at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                default: if at < bytes.count { bytes[at] = alphabet[Int.random(in: 0..<alphabet.count, using: &r)] }
                }
            }
            bytes.withUnsafeBytes { raw in
                let fast = CompactSegments(xc20p: raw, maxHeaderLength: 1024, nonceLength: 32, tagLength: 22)
                let generic = CompactSegments(raw).flatMap {
                    $0.encryptedKey.isEmpty && $0.iv.count == 32 && $0.tag.count == 22 && $0.header.count <= 1024
                        ? $0 : nil
                }
                if let generic {
                    XCTAssertNotNil(fast)
                    XCTAssertEqual(fast?.header.baseAddress, generic.header.baseAddress)
                    XCTAssertEqual(fast?.header.count, generic.header.count)
                    XCTAssertEqual(fast?.iv.baseAddress, generic.iv.baseAddress)
                    XCTAssertEqual(fast?.ciphertext.count, generic.ciphertext.count)
                    XCTAssertEqual(fast?.tag.baseAddress, generic.tag.baseAddress)
                } else if let fast {
                    // Only possible with a dot inside the nonce, ciphertext or tag.
                    let rest = [fast.iv, fast.ciphertext, fast.tag]
                    XCTAssertTrue(rest.contains { $0.contains(UInt8(ascii: ".")) })
                }
            }
        }
    }
}
