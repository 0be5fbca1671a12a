import SessionTokenInternals

/// The other direction of ``CompactSegments``: writing a `dir` JWE's compact serialization
/// (RFC 7516 §7.1), for sealing and for next-auth's encoder alike.
extension CompactSegments {
    /// The length of the compact form of a token whose header segment is `header` characters
    /// and whose IV, ciphertext and tag are `iv`, `ciphertext` and `tag` bytes.
    @inline(__always)
    package static func length(header: Int, iv: Int, ciphertext: Int, tag: Int) -> Int {
        header + 2 + Base64URL.encodedLength(iv) + 1 + Base64URL.encodedLength(ciphertext) + 1
            + Base64URL.encodedLength(tag)
    }

    /// `header..iv.ciphertext.tag`: the header segment as given (already base64url), the empty
    /// encrypted key of `dir`, then the three binary parts in unpadded base64url, written in
    /// order into one string of exactly ``length(header:iv:ciphertext:tag:)`` bytes.
    @inline(__always)
    package static func write(
        header: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, ciphertext: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer
    ) -> String {
        let length = length(header: header.count, iv: iv.count, ciphertext: ciphertext.count, tag: tag.count)
        // Each part at its offset (a local function capturing the offset would cost a dynamic
        // exclusivity check per call).
        return String(unsafeUninitializedCapacity: length) { buffer in
            let out = UnsafeMutableRawBufferPointer(buffer)
            let afterHeader = header.count + 2
            let afterIV = afterHeader + Base64URL.encodedLength(iv.count) + 1
            let afterCiphertext = afterIV + Base64URL.encodedLength(ciphertext.count) + 1
            UnsafeMutableRawBufferPointer(rebasing: out[0..<header.count]).copyMemory(from: header)
            out[afterHeader - 2] = UInt8(ascii: ".")
            out[afterHeader - 1] = UInt8(ascii: ".")
            Base64URL.encode(iv, into: UnsafeMutableRawBufferPointer(rebasing: out[afterHeader..<(afterIV - 1)]))
            out[afterIV - 1] = UInt8(ascii: ".")
            Base64URL.encode(ciphertext, into: UnsafeMutableRawBufferPointer(rebasing: out[afterIV..<(afterCiphertext - 1)]))
            out[afterCiphertext - 1] = UInt8(ascii: ".")
            Base64URL.encode(tag, into: UnsafeMutableRawBufferPointer(rebasing: out[afterCiphertext..<length]))
            return length
        }
    }
}
