import CBase64URL
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

    // MARK: The SSSE3 block kernel

    /// Whether the kernel should decode here: x86-64 with SSSE3, read from the kernel's own
    /// source of truth on Linux (the flags the kernel's `cpuid` bit is reported under), and
    /// every x86-64 Mac has it. Elsewhere it must decode nothing.
    var kernelShouldDecode: Bool {
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

    /// Foundation's decoding of unpadded base64url, the reference for the kernel.
    func foundationDecode(_ text: [UInt8]) -> [UInt8]? {
        var standard = String(decoding: text, as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// Runs the kernel on `text` into a buffer of `12 * blocks` bytes followed by canaries;
    /// returns the blocks it decoded and the whole buffer.
    func kernel(_ text: [UInt8], blocks: Int) -> (done: Int, out: [UInt8]) {
        var out = [UInt8](repeating: 0xA5, count: 12 * blocks + 16)
        let done = text.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { sst_base64url_decode_blocks(t.baseAddress, blocks, $0.baseAddress) }
        }
        return (done, out)
    }

    /// Every character of the alphabet in every lane of a block (the alphabet rotated by each
    /// amount is four blocks), against Foundation; exactly 48 bytes written.
    func testKernelDecodesEveryCharacterInEveryLane() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let expectBlocks = kernelShouldDecode ? 4 : 0
        for shift in 0..<64 {
            let text = Array(alphabet[shift...] + alphabet[..<shift])
            let (done, out) = kernel(text, blocks: 4)
            XCTAssertEqual(done, expectBlocks, "shift \(shift)")
            if expectBlocks == 4 { XCTAssertEqual(Array(out.prefix(48)), foundationDecode(text), "shift \(shift)") }
            XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16), "wrote past 48 bytes")
        }
    }

    /// Every byte value at every position of three blocks of random valid text: a byte of the
    /// alphabet decodes as Foundation does, any other stops the kernel before its block, with
    /// the blocks before it decoded and nothing written from there on; the whole decoder
    /// refuses the text.
    func testKernelStopsBeforeTheBlockOfEveryByteOutsideTheAlphabet() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let bytes = (0..<36).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let valid = Array(Fixture.base64URL(bytes).utf8)
        XCTAssertEqual(valid.count, 48)
        var refused = 0, accepted = 0
        for position in 0..<48 {
            for byte in UInt8.min...UInt8.max {
                var text = valid
                text[position] = byte
                let (done, out) = kernel(text, blocks: 3)
                if alphabet.contains(byte) {
                    accepted += 1
                    XCTAssertEqual(done, kernelShouldDecode ? 3 : 0)
                    if kernelShouldDecode { XCTAssertEqual(Array(out.prefix(36)), foundationDecode(text)) }
                    XCTAssertNotNil(decode(String(decoding: text, as: UTF8.self)))
                } else {
                    refused += 1
                    let block = position / 16
                    XCTAssertEqual(done, kernelShouldDecode ? block : 0, "byte \(byte) at \(position)")
                    XCTAssertEqual(Array(out.prefix(12 * done)), Array(bytes.prefix(12 * done)))
                    XCTAssertEqual(
                        Array(out.dropFirst(12 * done)), [UInt8](repeating: 0xA5, count: out.count - 12 * done),
                        "byte \(byte) at \(position): wrote past the decoded blocks")
                    XCTAssertNil(decode(String(decoding: text, as: UTF8.self)), "byte \(byte) at \(position)")
                }
            }
        }
        XCTAssertEqual(accepted, 48 * 64)
        XCTAssertEqual(refused, 48 * 192)
    }

    /// The kernel reads no more than its blocks: the byte after them may be anything, and a
    /// call for zero blocks reads and writes nothing.
    func testKernelReadsAndWritesOnlyItsBlocks() {
        let text = Array("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY".utf8) + [0x00]
        let (done, out) = kernel(text, blocks: 2)
        XCTAssertEqual(done, kernelShouldDecode ? 2 : 0)
        if kernelShouldDecode { XCTAssertEqual(Array(out.prefix(24)), Array("ABCDEFGHIJKLMNOPQRSTUVWX".utf8)) }
        XCTAssertEqual(kernel(text, blocks: 0).done, 0)
        XCTAssertEqual(sst_base64url_decode_blocks(nil, 0, nil), 0)
    }

    /// The vector blocks and the scalar rest together: every text of 0 to 97 bytes (up to 130
    /// characters, eight whole blocks and every possible rest) decodes as Foundation does.
    func testLengthsAroundBlockBoundaries() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<98 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Fixture.base64URL(bytes).utf8)
            XCTAssertEqual(decode(String(decoding: text, as: UTF8.self)), bytes, "\(count) bytes")
            XCTAssertEqual(foundationDecode(text), bytes)
        }
    }

    /// Runs the encoding kernel on `bytes` into a buffer of `16 * blocks` bytes followed by
    /// canaries; returns the blocks it encoded and the whole buffer.
    func encodeKernel(_ bytes: [UInt8], blocks: Int) -> (done: Int, out: [UInt8]) {
        var out = [UInt8](repeating: 0xA5, count: 16 * blocks + 16)
        let done = bytes.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { sst_base64url_encode_blocks(b.baseAddress, blocks, $0.baseAddress) }
        }
        return (done, out)
    }

    /// Foundation's encoding, in the URL alphabet without padding: the reference.
    func foundationEncode(_ bytes: [UInt8]) -> [UInt8] {
        Array(
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "").utf8)
    }

    /// Every 6-bit value in every character position: the bytes of the alphabet rotated by
    /// each amount (four blocks) encode back to it; exactly 64 characters written.
    func testEncodeKernelWritesEveryCharacterInEveryLane() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for shift in 0..<64 {
            let text = Array(alphabet[shift...] + alphabet[..<shift])
            guard let bytes = foundationDecode(text) else { return XCTFail("shift \(shift)") }
            XCTAssertEqual(bytes.count, 48)
            let (done, out) = encodeKernel(bytes, blocks: 4)
            XCTAssertEqual(done, kernelShouldDecode ? 4 : 0)
            if done == 4 { XCTAssertEqual(Array(out.prefix(64)), text, "shift \(shift)") }
            XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16), "wrote past 64 characters")
        }
    }

    /// Every byte value at every position of a block, in the first and the last of three
    /// blocks, against Foundation; the kernel reads exactly its blocks (the input array ends
    /// there, which AddressSanitizer checks) and writes exactly their characters.
    func testEncodeKernelEveryByteAtEveryPosition() {
        var generator = SystemRandomNumberGenerator()
        let base = (0..<36).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for position in Array(0..<12) + Array(24..<36) {
            for byte in UInt8.min...UInt8.max {
                var bytes = base
                bytes[position] = byte
                let (done, out) = encodeKernel(bytes, blocks: 3)
                XCTAssertEqual(done, kernelShouldDecode ? 3 : 0)
                if done == 3 { XCTAssertEqual(Array(out.prefix(48)), foundationEncode(bytes), "byte \(byte) at \(position)") }
                XCTAssertEqual(Array(out.suffix(16)), [UInt8](repeating: 0xA5, count: 16))
                XCTAssertEqual(Array(Fixture.base64URL(bytes).utf8), foundationEncode(bytes))
            }
        }
        XCTAssertEqual(encodeKernel(base, blocks: 0).done, 0)
        XCTAssertEqual(sst_base64url_encode_blocks(nil, 0, nil), 0)
    }

    /// The vector blocks and the scalar rest of the encoder together, at every length up to
    /// eight blocks and a rest: the library's encoding (through `Base64URL.encode`) is
    /// Foundation's.
    func testEncodeLengthsAroundBlockBoundaries() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<110 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = bytes.withUnsafeBytes { Base64URL.encode($0) }
            XCTAssertEqual(Array(encoded.utf8), foundationEncode(bytes), "\(count) bytes")
        }
    }
}
