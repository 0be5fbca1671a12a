import Foundation
import XCTest

@testable import SessionToken

final class Base64URLTests: XCTestCase {
    func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard let length = Base64URL.decodedLength(input.count) else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let n = input.withUnsafeBytes { i in out.withUnsafeMutableBytes { Base64URL.decode(i, into: $0) } }
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

    /// The decoder works in steps of eight characters with 8-byte stores: a byte outside the
    /// alphabet is refused at every position of every length, and nothing is written past the
    /// decoded length (the bytes after it stay as they were).
    func testEveryPositionOfLongInputs() {
        var generator = SystemRandomNumberGenerator()
        let outside: [UInt8] = [0x00, 0x2B, 0x2F, 0x2E, 0x3D, 0x20, 0x40, 0x60, 0x7B, 0x7F, 0x80, 0xFF]
        for length in 0..<72 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Fixture.base64URL(bytes).utf8)
            // Canaries after the exact output length.
            var out = [UInt8](repeating: 0xA5, count: length + 16)
            let n = text.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { Base64URL.decode(input, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
            }
            XCTAssertEqual(n, length)
            XCTAssertEqual(Array(out.prefix(length)), bytes)
            XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16), "wrote past \(length) bytes")
            for position in text.indices {
                let bad = outside[Int.random(in: 0..<outside.count, using: &generator)]
                var broken = text
                broken[position] = bad
                XCTAssertNil(decode(String(decoding: broken, as: UTF8.self)), "length \(length), byte \(bad) at \(position)")
                XCTAssertNil(
                    broken.withUnsafeBytes { input in
                        out.withUnsafeMutableBytes { Base64URL.decode(input, into: $0) }
                    }, "length \(length), byte \(bad) at \(position)")
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
}
