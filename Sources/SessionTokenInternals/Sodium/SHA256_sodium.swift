internal import CSodium

/// SHA-256 from libsodium (`crypto_hash_sha256_*`) for the other modules of this package, so
/// that none of them needs another crypto library for a plain hash. Named after libsodium
/// so that it does not clash with swift-crypto's `SHA256` in modules that import both.
package enum SodiumSHA256 {
    /// Length of a digest in bytes.
    package static let outputBytes = 32

    /// SHA-256 of the parts joined, without concatenating them (so that a secret part is never
    /// copied). The state is zeroed before returning.
    package static func hash(parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        _ = Sodium.isReady
        var state = crypto_hash_sha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        crypto_hash_sha256_init(&state)
        for part in parts {
            crypto_hash_sha256_update(&state, part.sodiumPointer, UInt64(part.count))
        }
        var digest = [UInt8](repeating: 0, count: outputBytes)
        digest.withUnsafeMutableBytes { out in
            _ = crypto_hash_sha256_final(&state, out.sodiumPointer)
        }
        return digest
    }

    /// SHA-256 of `first` then `second` into `output` (32 bytes), with nothing allocated. The
    /// state is zeroed before returning.
    package static func hash(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count >= outputBytes)
        _ = Sodium.isReady
        var state = crypto_hash_sha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        crypto_hash_sha256_init(&state)
        crypto_hash_sha256_update(&state, first.sodiumPointer, UInt64(first.count))
        crypto_hash_sha256_update(&state, second.sodiumPointer, UInt64(second.count))
        _ = crypto_hash_sha256_final(&state, output.sodiumPointer)
    }

    /// SHA-256 of a byte sequence.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let copy = Array(bytes)
        return copy.withUnsafeBytes { hash(parts: [$0]) }
    }
}
