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

    /// Unpadded base64url of secret bytes with libsodium's constant-time encoder.
    package static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        Sodium.encodeSecretBase64URL(bytes)
    }
}
