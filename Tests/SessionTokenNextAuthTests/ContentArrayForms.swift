import Crypto
import Foundation
import SessionToken
import XCTest

@testable import SessionTokenNextAuth
import SessionTokenInternals

// Array forms of the content-encryption layer for the vector tests, which hold their inputs
// as arrays. Each runs the same calls decoding makes.

extension AESGCMContent {
    /// Opens with libsodium's precomputed state (where the CPU has AES-NI and the key is 256
    /// bits) and with swift-crypto, checks that both agree, and returns the plaintext.
    static func open(
        ciphertext: some DataProtocol, tag: some DataProtocol, iv: some DataProtocol,
        additionalData: some DataProtocol, key: SymmetricKey, file: StaticString = #filePath, line: UInt = #line
    ) -> [UInt8]? {
        let sodium = Key(key), crypto = Key(key, precompute: false)
        if key.bitCount == 256 {
            XCTAssertEqual(sodium.state != nil, AES256GCM.isAvailable, "libsodium's state where AES-NI is", file: file, line: line)
        }
        XCTAssertNil(crypto.state, file: file, line: line)
        let a = run(ciphertext, tag, iv, additionalData, sodium), b = run(ciphertext, tag, iv, additionalData, crypto)
        XCTAssertEqual(a, b, "libsodium and swift-crypto disagree", file: file, line: line)
        return a
    }

    private static func run(
        _ ciphertext: some DataProtocol, _ tag: some DataProtocol, _ iv: some DataProtocol,
        _ additionalData: some DataProtocol, _ key: Key
    ) -> [UInt8]? {
        let (ct, t, n, aad) = (Array(ciphertext), Array(tag), Array(iv), Array(additionalData))
        // 0xA5 marks bytes the cipher did not write: a failure must leave no plaintext behind.
        var out = [UInt8](repeating: 0xA5, count: ct.count)
        let ok = withBuffers(ct, t, n, aad, &out) { c, t, n, a, out in
            open(ciphertext: c, tag: t, iv: n, additionalData: a, key: key, into: out)
        }
        return ok ? out : nil
    }
}

extension AESCBCHMACContent {
    /// Authenticates and decrypts as decoding does; nil for any failure.
    static func open(
        ciphertext: some DataProtocol, tag: some DataProtocol, iv: some DataProtocol,
        additionalData: some DataProtocol, key: Key
    ) -> [UInt8]? {
        let (ct, t, n, aad) = (Array(ciphertext), Array(tag), Array(iv), Array(additionalData))
        var out = [UInt8](repeating: 0, count: ct.count)
        let count = withBuffers(ct, t, n, aad, &out) { c, t, n, a, out in
            open(ciphertext: c, tag: t, iv: n, additionalData: a, key: key, into: out)
        }
        return count.map { Array(out.prefix($0)) }
    }

    /// AES-CBC with PKCS#7 unpadding as decoding runs it; nil for any failure.
    static func decryptCBC(_ ciphertext: [UInt8], iv: [UInt8], key: SymmetricKey) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: ciphertext.count)
        let count = ciphertext.withUnsafeBytes { c in
            iv.withUnsafeBytes { n in out.withUnsafeMutableBytes { decryptCBC(c, iv: n, key: key, into: $0) } }
        }
        return count.map { Array(out.prefix($0)) }
    }

    /// The tag check on one message: libsodium's HMAC-SHA-512 (from the key's precomputed
    /// state, as decoding runs it) truncated to `tag.count`.
    static func verifyTruncatedHMAC(tag: [UInt8], message: [UInt8], key: [UInt8]) -> Bool {
        tag.withUnsafeBytes { t in
            message.withUnsafeBytes { m in
                verifyTruncatedHMAC(
                    tag: t, mac: key.withUnsafeBytes { HMACSHA512.precompute(key: $0) },
                    parts: (m, UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0),
                        UnsafeRawBufferPointer(start: nil, count: 0)))
            }
        }
    }
}

/// Ciphertext, tag, IV and AAD as raw buffers, and the output buffer, for one call.
private func withBuffers<R>(
    _ ciphertext: [UInt8], _ tag: [UInt8], _ iv: [UInt8], _ aad: [UInt8], _ out: inout [UInt8],
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer,
        UnsafeMutableRawBufferPointer) -> R
) -> R {
    ciphertext.withUnsafeBytes { c in
        tag.withUnsafeBytes { t in
            iv.withUnsafeBytes { n in
                aad.withUnsafeBytes { a in out.withUnsafeMutableBytes { body(c, t, n, a, $0) } }
            }
        }
    }
}
