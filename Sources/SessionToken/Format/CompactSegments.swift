/// The five segments of a JWE in compact serialization (RFC 7516 §7.1), as slices of the
/// token's bytes: found with one scan, nothing decoded or copied.
package struct CompactSegments {
    /// BASE64URL(UTF8(protected header)): also the additional authenticated data, as sent.
    package let header: UnsafeRawBufferPointer
    /// BASE64URL(encrypted key): empty for `dir`.
    package let encryptedKey: UnsafeRawBufferPointer
    /// BASE64URL(initialization vector / nonce).
    package let iv: UnsafeRawBufferPointer
    /// BASE64URL(ciphertext).
    package let ciphertext: UnsafeRawBufferPointer
    /// BASE64URL(authentication tag).
    package let tag: UnsafeRawBufferPointer

    /// Splits `token` at its dots; nil unless there are exactly five segments.
    @inline(__always)
    package init?(_ token: UnsafeRawBufferPointer) {
        var dots = (0, 0, 0, 0)
        var count = 0
        for i in 0..<token.count where token[i] == UInt8(ascii: ".") {
            switch count {
            case 0: dots.0 = i
            case 1: dots.1 = i
            case 2: dots.2 = i
            case 3: dots.3 = i
            default: return nil
            }
            count += 1
        }
        guard count == 4 else { return nil }
        header = UnsafeRawBufferPointer(rebasing: token[0..<dots.0])
        encryptedKey = UnsafeRawBufferPointer(rebasing: token[(dots.0 + 1)..<dots.1])
        iv = UnsafeRawBufferPointer(rebasing: token[(dots.1 + 1)..<dots.2])
        ciphertext = UnsafeRawBufferPointer(rebasing: token[(dots.2 + 1)..<dots.3])
        tag = UnsafeRawBufferPointer(rebasing: token[(dots.3 + 1)...])
    }
}
