#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

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

    /// The split that `dir` + `XC20P` tokens need, in O(1) instead of a scan of every byte; with
    /// a `nonceLength` of 16 (12 bytes), the split of `dir` + `A256GCM` tokens.
    ///
    /// Succeeds exactly when the generic split would give five segments with an empty encrypted
    /// key, a `nonceLength`-character nonce (32 for XC20P's 24 bytes) and a `tagLength`-character
    /// tag (22 for 16 bytes), except that it
    /// does not look for further dots inside the nonce, ciphertext or tag: such a dot is refused
    /// by ``Base64URL/decode(_:into:)`` (it is outside the alphabet), so every token either
    /// split accepts ends the same way. The first dot is searched only within
    /// `maxHeaderLength + 1` bytes: a longer header is refused by the full header parse anyway.
    @inline(__always)
    package init?(xc20p token: UnsafeRawBufferPointer, maxHeaderLength: Int, nonceLength: Int, tagLength: Int) {
        guard let base = token.baseAddress else { return nil }
        let n = token.count
        guard let hit = memchr(base, Int32(UInt8(ascii: ".")), Swift.min(n, maxHeaderLength + 1)) else { return nil }
        let d0 = base.distance(to: UnsafeRawPointer(hit))
        let d1 = d0 + 1
        let d2 = d1 + 1 + nonceLength
        let d3 = n - 1 - tagLength
        guard d2 < d3, token[d1] == UInt8(ascii: "."), token[d2] == UInt8(ascii: "."),
            token[d3] == UInt8(ascii: ".")
        else { return nil }
        header = UnsafeRawBufferPointer(rebasing: token[0..<d0])
        encryptedKey = UnsafeRawBufferPointer(rebasing: token[d1..<d1])
        iv = UnsafeRawBufferPointer(rebasing: token[(d1 + 1)..<d2])
        ciphertext = UnsafeRawBufferPointer(rebasing: token[(d2 + 1)..<d3])
        tag = UnsafeRawBufferPointer(rebasing: token[(d3 + 1)...])
    }
}
