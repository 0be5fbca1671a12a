import CBase64URL
import Foundation
import XCTest

@testable import SessionToken
import SessionTokenInternals

final class Base64URLTests: XCTestCase {
    func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard let length = Base64URL.decodedLength(input.count) else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let n = input.withUnsafeBytes { i in out.withUnsafeMutableBytes { Base64URL.decode(i, into: $0) } }
        // The table-driven path (processors without SSSE3) must agree on every input.
        var scalarOut = [UInt8](repeating: 0, count: length)
        let scalar = input.withUnsafeBytes { i in scalarOut.withUnsafeMutableBytes { Base64URL.decodeScalar(i, into: $0) } }
        XCTAssertEqual(scalar.map { Array(scalarOut.prefix($0)) }, n.map { Array(out.prefix($0)) }, text.debugDescription)
        return n.map { Array(out.prefix($0)) }
    }

    func testRFC4648Vectors() {
        // RFC 4648 §10, without padding.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Fixture.base64URL(plain), encoded)
            XCTAssertEqual(decode(encoded), Array(plain.utf8))
        }
    }

    func testURLAlphabetAgainstFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            XCTAssertEqual(Fixture.base64URL(bytes), foundation)
            XCTAssertEqual(decode(foundation), bytes)
        }
    }

    func testRejectsNonCanonicalInput() {
        for bad in ["Zg==", "Zm9=", "Z", "Zm9vY", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm v", "Zm9v\n", "Zm9v=", "Zm.v", "Zé", "Zm\u{0}v"] {
            XCTAssertNil(decode(bad), bad.debugDescription)
        }
        // Every non-zero value of the unused bits is refused, every zero one accepted.
        XCTAssertNotNil(decode("Zg"))
        for c in "hijklmnopqrstuv" { XCTAssertNil(decode("Z\(c)"), "Z\(c)") }
        XCTAssertNotNil(decode("Zm8"))
        for c in "9-_" { XCTAssertNil(decode("Zm\(c)"), "Zm\(c)") }
    }

    func testAllSingleByteInputsAgainstFoundation() {
        // Every two-character text: accepted exactly when Foundation's padded decoder gives one
        // byte and re-encoding gives the same text back.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for a in alphabet {
            for b in alphabet {
                let text = String([a, b])
                let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="
                let viaFoundation = Data(base64Encoded: standard).map(Array.init)
                let canonical = viaFoundation.map { Fixture.base64URL($0) == text } ?? false
                XCTAssertEqual(decode(text) != nil, canonical, text)
                if canonical { XCTAssertEqual(decode(text), viaFoundation) }
            }
        }
    }

    /// Both decoding paths (the vector blocks with their padded last block, and the table
    /// loops with their 8-byte stores): a byte outside the alphabet is refused at every
    /// position of every length, and nothing is written past the decoded length (the bytes
    /// after it stay as they were).
    func testEveryPositionOfLongInputs() {
        var generator = SystemRandomNumberGenerator()
        let outside: [UInt8] = [0x00, 0x2B, 0x2F, 0x2E, 0x3D, 0x20, 0x40, 0x60, 0x7B, 0x7F, 0x80, 0xFF]
        let paths: [(String, (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) -> Int?)] = [
            ("decode", { Base64URL.decode($0, into: $1) }), ("decodeScalar", { Base64URL.decodeScalar($0, into: $1) }),
        ]
        for length in 0..<72 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Fixture.base64URL(bytes).utf8)
            for (name, path) in paths {
                // Canaries after the exact output length.
                var out = [UInt8](repeating: 0xA5, count: length + 16)
                let n = text.withUnsafeBytes { input in
                    out.withUnsafeMutableBytes { path(input, UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
                }
                XCTAssertEqual(n, length, name)
                XCTAssertEqual(Array(out.prefix(length)), bytes, name)
                XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16), "\(name) wrote past \(length) bytes")
                for position in text.indices {
                    let bad = outside[Int.random(in: 0..<outside.count, using: &generator)]
                    var broken = text
                    broken[position] = bad
                    XCTAssertNil(decode(String(decoding: broken, as: UTF8.self)), "length \(length), byte \(bad) at \(position)")
                    XCTAssertNil(
                        broken.withUnsafeBytes { input in
                            out.withUnsafeMutableBytes { path(input, UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
                        }, "\(name): length \(length), byte \(bad) at \(position)")
                    XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16), "\(name) wrote past \(length) bytes")
                }
            }
        }
    }

    /// A last character with unused bits set is refused at every length that has unused bits.
    func testNonCanonicalLastCharacterAtEveryLength() {
        for length in 1..<64 where length % 3 != 0 {
            let text = Array(Fixture.base64URL([UInt8](repeating: 0, count: length)).utf8)
            XCTAssertNotNil(decode(String(decoding: text, as: UTF8.self)))
            var broken = text
            broken[broken.count - 1] = UInt8(ascii: "B")  // value 1: an unused bit set
            XCTAssertNil(decode(String(decoding: broken, as: UTF8.self)), "length \(length)")
        }
    }

    // MARK: The vector paths (Sources/CBase64URL): SSSE3, and AVX2 for whole 32-character blocks

    /// Whether the vector path must run here: x86-64 with SSSE3, read independently of the C
    /// code's `cpuid` from the flags Linux reports (every x86-64 Mac has it). Elsewhere the C
    /// functions must answer `SST_BASE64URL_NO_VECTOR_PATH`.
    var hasVectorPath: Bool {
        #if arch(x86_64)
        #if os(Linux)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return cpuinfo.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("ssse3") }
        #else
        return true
        #endif
        #else
        return false
        #endif
    }

    /// Whether the AVX2 decoding path must run here, read from the flags Linux reports (and the
    /// vector path's own answer elsewhere, where there is no such file).
    var hasAVX2: Bool {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return cpuinfo.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx2") }
        #else
        var out = [UInt8](repeating: 0, count: 24)
        let text = Array("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY".utf8)
        return out.withUnsafeMutableBufferPointer {
            sst_base64url_decode_using(text, text.count, $0.baseAddress, Int32(SST_BASE64URL_PATH_AVX2)) >= 0
        }
        #endif
    }

    /// The decoding paths to hold to the same results: the one `sst_base64url_decode` picks
    /// (nil), and each of SSSE3 and AVX2 on its own, with whether this processor has it.
    var decodePaths: [(path: Int32?, available: Bool)] {
        [(nil, hasVectorPath), (Int32(SST_BASE64URL_PATH_SSSE3), hasVectorPath), (Int32(SST_BASE64URL_PATH_AVX2), hasAVX2)]
    }

    /// Foundation's decoding of unpadded base64url, the reference for the vector path.
    func foundationDecode(_ text: [UInt8]) -> [UInt8]? {
        var standard = String(decoding: text, as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// Runs the vector path on the first `count` bytes of `text` (all of them by default) into
    /// a buffer of the decoded length followed by canaries; returns its result and the buffer.
    func vector(_ text: [UInt8], count: Int? = nil, path: Int32? = nil) -> (result: Int, out: [UInt8]) {
        let count = count ?? text.count
        var out = [UInt8](repeating: 0xA5, count: count * 3 / 4 + 16)
        let result = text.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer {
                if let path { return sst_base64url_decode_using(t.baseAddress, count, $0.baseAddress, path) }
                return sst_base64url_decode(t.baseAddress, count, $0.baseAddress)
            }
        }
        return (result, out)
    }

    static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// What the vector path must return for `text`: Foundation's bytes when `text` is the
    /// canonical encoding of them, the refusal otherwise (and no answer without SSSE3).
    func expectedVector(_ text: [UInt8]) -> (result: Int, bytes: [UInt8]) {
        guard hasVectorPath else { return (SST_BASE64URL_NO_VECTOR_PATH, []) }
        guard text.count % 4 != 1, text.allSatisfy({ Self.alphabet.contains($0) }),
            let bytes = foundationDecode(text), foundationEncode(bytes) == text
        else { return (SST_BASE64URL_INVALID, []) }
        return (bytes.count, bytes)
    }

    /// One text through each vector path (see ``decodePaths``): its result, its bytes, and
    /// nothing written past the decoded length; a path the processor lacks must say so.
    func checkVector(_ text: [UInt8], _ message: @autoclosure () -> String) {
        let expected = expectedVector(text)
        for (path, available) in decodePaths {
            let (result, out) = vector(text, path: path)
            let label = "path \(path.map(String.init) ?? "auto"): \(message())"
            guard available else {
                XCTAssertEqual(result, SST_BASE64URL_NO_VECTOR_PATH, label)
                continue
            }
            XCTAssertEqual(result, expected.result, label)
            if result >= 0 { XCTAssertEqual(Array(out.prefix(result)), expected.bytes, label) }
            XCTAssertEqual(
                Array(out.dropFirst(text.count * 3 / 4)), [UInt8](repeating: 0xA5, count: 16), "wrote past: \(label)")
        }
    }

    /// Every character of the alphabet in every lane of a block (the alphabet rotated by each
    /// amount is four blocks) and in every lane of the padded last block (each rest of 2 to
    /// 15 characters after one block), against Foundation.
    func testVectorPathDecodesEveryCharacterInEveryLane() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for shift in 0..<64 {
            let text = Array(alphabet[shift...] + alphabet[..<shift])
            XCTAssertEqual(vector(text).result, hasVectorPath ? 48 : SST_BASE64URL_NO_VECTOR_PATH)
            checkVector(text, "shift \(shift)")
            for rest in 2..<16 where rest % 4 != 1 {
                checkVector(Array(text.prefix(16 + rest)), "shift \(shift), rest \(rest)")
            }
            // After one AVX2 block, every rest of the 16-character path and its padded block.
            for rest in 2..<32 where rest % 4 != 1 {
                checkVector(Array((text + text).prefix(32 + rest)), "shift \(shift), 32 + \(rest)")
            }
        }
    }

    /// Every byte value at every position of three blocks and a last block of six characters
    /// (random valid text): the vector path accepts exactly what Foundation decodes and
    /// re-encodes to the same text, and writes nothing past the decoded length.
    func testVectorPathEveryByteAtEveryPosition() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<40).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let valid = Array(Fixture.base64URL(bytes).utf8)
        XCTAssertEqual(valid.count, 54)
        var refused = 0
        for position in valid.indices {
            for byte in UInt8.min...UInt8.max {
                var text = valid
                text[position] = byte
                checkVector(text, "byte \(byte) at \(position)")
                if vector(text).result == SST_BASE64URL_INVALID { refused += 1 }
            }
        }
        // The 192 bytes outside the alphabet at every position, and at the last (whose low four
        // bits are unused) also the 60 characters with any of them set.
        XCTAssertEqual(refused, hasVectorPath ? 54 * 192 + 60 : 0)
    }

    /// Every length from 0 to 130 characters (eight blocks and each possible rest): random
    /// valid text, the last character with an unused bit set, and one character more (a
    /// length of the form 4n+1).
    func testVectorPathAtEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<98 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Fixture.base64URL(bytes).utf8)
            checkVector(text, "\(count) bytes")
            XCTAssertEqual(vector(text).result, hasVectorPath ? count : SST_BASE64URL_NO_VECTOR_PATH)
            XCTAssertEqual(decode(String(decoding: text, as: UTF8.self)), bytes, "\(count) bytes")
            if count % 3 != 0 {
                var broken = text
                broken[broken.count - 1] = UInt8(ascii: "B")  // value 1: an unused bit set
                checkVector(broken, "\(count) bytes, unused bit set")
                XCTAssertEqual(vector(broken).result, hasVectorPath ? SST_BASE64URL_INVALID : SST_BASE64URL_NO_VECTOR_PATH)
            }
            if text.count % 4 == 0 {
                let long = text + [UInt8(ascii: "A")]
                checkVector(long, "\(count) bytes and one character")
                XCTAssertEqual(vector(long).result, hasVectorPath ? SST_BASE64URL_INVALID : SST_BASE64URL_NO_VECTOR_PATH)
            }
        }
    }

    /// The vector path reads only `count` bytes: the byte after them may be anything.
    func testVectorPathReadsOnlyItsCount() {
        let text = Array("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo".utf8) + [0x00]
        for (path, available) in decodePaths {
            let (result, out) = vector(text, count: text.count - 1, path: path)
            XCTAssertEqual(result, available ? 26 : SST_BASE64URL_NO_VECTOR_PATH)
            if available { XCTAssertEqual(Array(out.prefix(26)), Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)) }
            XCTAssertEqual(vector([], count: 0, path: path).result, available ? 0 : SST_BASE64URL_NO_VECTOR_PATH)
        }
    }

    /// Runs the vector encoder on `bytes` into a buffer of the encoded length followed by
    /// canaries; returns its result and the whole buffer.
    func vectorEncode(_ bytes: [UInt8]) -> (result: Int, out: [UInt8]) {
        let length = Base64URL.encodedLength(bytes.count)
        var out = [UInt8](repeating: 0xA5, count: length + 16)
        let result = bytes.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { sst_base64url_encode(b.baseAddress, bytes.count, $0.baseAddress) }
        }
        XCTAssertEqual(Array(out.dropFirst(length)), [UInt8](repeating: 0xA5, count: 16), "wrote past \(length) characters")
        return (result, Array(out.prefix(length)))
    }

    /// Foundation's encoding, in the URL alphabet without padding: the reference.
    func foundationEncode(_ bytes: [UInt8]) -> [UInt8] {
        Array(
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "").utf8)
    }

    /// Checks the vector encoder on `bytes` against Foundation.
    func checkVectorEncode(_ bytes: [UInt8], _ message: @autoclosure () -> String) {
        let (result, out) = vectorEncode(bytes)
        if hasVectorPath {
            XCTAssertEqual(result, Base64URL.encodedLength(bytes.count), message())
            XCTAssertEqual(out, foundationEncode(bytes), message())
        } else {
            XCTAssertEqual(result, SST_BASE64URL_NO_VECTOR_PATH, message())
        }
    }

    /// Every 6-bit value in every character position of a block, and of the padded last block
    /// (every rest of 1 to 11 bytes): the bytes of the alphabet rotated by each amount encode
    /// back to it.
    func testEncodeVectorPathWritesEveryCharacterInEveryLane() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for shift in 0..<64 {
            let text = Array(alphabet[shift...] + alphabet[..<shift])
            guard let bytes = foundationDecode(text) else { return XCTFail("shift \(shift)") }
            XCTAssertEqual(bytes.count, 48)
            checkVectorEncode(bytes, "shift \(shift)")
            for rest in 1..<12 { checkVectorEncode(Array(bytes.prefix(12 + rest)), "shift \(shift), rest \(rest)") }
        }
    }

    /// Every byte value at every position of the first of three blocks and of an eleven-byte
    /// rest, against Foundation; the encoder reads exactly `count` bytes (the input array ends
    /// there, which AddressSanitizer checks) and writes exactly the characters.
    func testEncodeVectorPathEveryByteAtEveryPosition() {
        var generator = SystemRandomNumberGenerator()
        let base = (0..<47).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for position in Array(0..<12) + Array(36..<47) {
            for byte in UInt8.min...UInt8.max {
                var bytes = base
                bytes[position] = byte
                checkVectorEncode(bytes, "byte \(byte) at \(position)")
            }
        }
    }

    /// Both encoding paths at every length up to eight blocks and a rest: the library's
    /// encoding is Foundation's.
    func testEncodeLengthsAroundBlockBoundaries() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<110 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            checkVectorEncode(bytes, "\(count) bytes")
            let encoded = bytes.withUnsafeBytes { Base64URL.encode($0) }
            XCTAssertEqual(Array(encoded.utf8), foundationEncode(bytes), "\(count) bytes")
            var scalar = [UInt8](repeating: 0, count: Base64URL.encodedLength(count))
            bytes.withUnsafeBytes { b in scalar.withUnsafeMutableBytes { Base64URL.encodeScalar(b, into: $0) } }
            XCTAssertEqual(scalar, foundationEncode(bytes), "scalar, \(count) bytes")
        }
        XCTAssertEqual(vectorEncode([]).result, hasVectorPath ? 0 : SST_BASE64URL_NO_VECTOR_PATH)
    }
}
