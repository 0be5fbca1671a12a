/// libsodium's CSPRNG (`randombytes_buf`) for the other modules of this package: CSRF tokens and
/// any other unpredictable value they make come from the same source as nonces and keys.
package enum SecureRandom {
    /// Fills `buffer` with random bytes.
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.randomBytes(buffer)
    }

    /// `count` random bytes (none for a count below 1).
    package static func bytes(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        bytes.withUnsafeMutableBytes { Sodium.randomBytes($0) }
        return bytes
    }
}
