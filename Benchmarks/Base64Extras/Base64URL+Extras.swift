// Benchmark-only (issue 29): the library's `Base64URL` with its work done by swift-extras-base64
// (`ExtrasBase64`), so that the whole `open` and `seal` can be measured with that codec in
// place of the hand-written one. `compare.sh` compiles the library's sources a second time as
// the module `SessionTokenExtras`, with this file in place of Sources/SessionToken/Format/Base64URL.swift (the layout of commit
// 3acc30d, before the codec moved to SessionTokenInternals; compare.sh says how to run it).
// It is never part of the shipped library.
//
// A drop-in must keep the library's contract, so the wrapper adds what ExtrasBase64 does not
// check itself, and its cost is counted with the codec's:
// - only the canonical text is accepted: ExtrasBase64 ignores the unused low bits of the last
//   character and reads `=` in the last group as padding; the tail is re-encoded and compared,
//   and a short result (padding) is refused;
// - the output buffers are exactly `decodedLength(n)` bytes (the open path lays its parts out
//   back to back), while ExtrasBase64 wants room for whole groups (`(n + 3) / 4 * 3`) and stops
//   the process otherwise: the whole groups are decoded in place and the last 2 or 3 characters
//   through a 3-byte buffer, unless the output has room to spare.
import ExtrasBase64

package enum Base64URL {
    private static let decoding: Base64.DecodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]
    private static let encoding: Base64.EncodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]

    @inline(__always)
    package static func encodedLength(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    @inline(__always)
    package static func decodedLength(_ count: Int) -> Int? {
        count % 4 == 1 ? nil : count * 3 / 4
    }

    @inline(__always)
    package static func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let n = bytes.count
        precondition(output.count >= encodedLength(n))
        guard n > 0, let source = bytes.baseAddress, let target = output.baseAddress else { return }
        let input = UnsafeBufferPointer(start: source.assumingMemoryBound(to: UInt8.self), count: n)
        var out = UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: UInt8.self), count: encodedLength(n))
            .mutableSpan
        Base64.encode(bytes: input.span, into: &out, options: encoding)
    }

    package static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedLength(bytes.count)) { buffer in
            encode(bytes, into: UnsafeMutableRawBufferPointer(buffer))
            return encodedLength(bytes.count)
        }
    }

    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Array(bytes).withUnsafeBytes { encode($0) }
    }

    @inline(__always)
    package static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let n = text.count
        guard let length = decodedLength(n), output.count >= length else { return nil }
        guard n > 0, let source = text.baseAddress, let target = output.baseAddress else { return 0 }
        let chars = source.assumingMemoryBound(to: UInt8.self)
        let bytes = target.assumingMemoryBound(to: UInt8.self)
        let tail = n & 3
        do {
            if tail == 0 || output.count >= (n + 3) / 4 * 3 {
                // One call: the output has room for whole groups.
                var out = UnsafeMutableBufferPointer(start: bytes, count: output.count).mutableSpan
                guard try Base64.decode(bytes: UnsafeBufferPointer(start: chars, count: n).span, into: &out, options: decoding)
                    == length
                else { return nil }
            } else {
                let head = n - tail
                if head > 0 {
                    var out = UnsafeMutableBufferPointer(start: bytes, count: head / 4 * 3).mutableSpan
                    guard try Base64.decode(bytes: UnsafeBufferPointer(start: chars, count: head).span, into: &out, options: decoding)
                        == head / 4 * 3
                    else { return nil }
                }
                var three: (UInt8, UInt8, UInt8) = (0, 0, 0)
                let written = try withUnsafeMutableBytes(of: &three) { raw in
                    var out = raw.bindMemory(to: UInt8.self).mutableSpan
                    return try Base64.decode(bytes: UnsafeBufferPointer(start: chars + head, count: tail).span, into: &out, options: decoding)
                }
                guard written == tail - 1 else { return nil }
                bytes[length - tail + 1] = three.0
                if tail == 3 { bytes[length - 1] = three.1 }
            }
        } catch {
            return nil
        }
        guard tail != 0 else { return length }
        // Canonical only: the last bytes must encode back to exactly the last characters.
        var back: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let tailBytes = UnsafeRawBufferPointer(start: bytes + (length - tail + 1), count: tail - 1)
        let same = withUnsafeMutableBytes(of: &back) { raw -> Bool in
            encode(tailBytes, into: raw)
            for k in 0..<tail where raw[k] != chars[n - tail + k] { return false }
            return true
        }
        return same ? length : nil
    }
}
