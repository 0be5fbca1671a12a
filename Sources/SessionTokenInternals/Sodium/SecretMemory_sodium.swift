/// libsodium's secret-handling helpers for the other modules of this package, so that none of
/// them writes its own constant-time comparison, wiping or key encoding.
package enum SecretMemory {
    /// Constant-time equality (`sodium_memcmp`); different lengths are unequal.
    package static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        Sodium.constantTimeEqual(a, b)
    }

    /// Zeroes an array's bytes with `sodium_memzero`, which the optimiser may not remove.
    package static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { Sodium.zero($0) }
    }

    /// Zeroes a buffer with `sodium_memzero`.
    package static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.zero(buffer)
    }

    /// Lowercase hex of secret bytes with libsodium's constant-time encoder (`sodium_bin2hex`:
    /// no table indexed by the bytes), into `output`, which must hold `2 * bytes.count` bytes;
    /// nothing else is written.
    package static func hex(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        Sodium.hex(bytes, into: output)
    }

    /// Lowercase hex of secret bytes with libsodium's constant-time encoder, as a `String`
    /// written in place (one allocation, the string's own).
    package static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 2 * bytes.count) { output in
            Sodium.hex(bytes, into: UnsafeMutableRawBufferPointer(output))
            return 2 * bytes.count
        }
    }

    /// Unpadded base64url of secret bytes with libsodium's constant-time encoder.
    package static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        Sodium.encodeSecretBase64URL(bytes)
    }
}
