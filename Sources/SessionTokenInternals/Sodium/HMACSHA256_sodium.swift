internal import CSodium

/// HMAC-SHA-256 from libsodium (`crypto_auth_hmacsha256_*`), streaming over several parts so
/// that HKDF can hash `T(i-1) || info || i` without concatenating.
package enum HMACSHA256 {
    package static let outputBytes = 32
    /// Size of `crypto_auth_hmacsha256_state`.
    package static let stateBytes = MemoryLayout<crypto_auth_hmacsha256_state>.size

    /// The state after `crypto_auth_hmacsha256_init` with `key`, in wiped storage (it is as
    /// secret as the key): a key used for many messages hashes its two pads once, which is two
    /// of the four or five SHA-256 compressions a short message costs.
    package static func precompute(key: UnsafeRawBufferPointer) -> SecretBytes {
        _ = Sodium.isReady
        return SecretBytes(count: stateBytes) { storage in
            let state = storage.baseAddress!.bindMemory(to: crypto_auth_hmacsha256_state.self, capacity: 1)
            crypto_auth_hmacsha256_init(state, key.sodiumPointer, key.count)
        }
    }

    /// Writes HMAC-SHA-256(key, message) into `output` (32 bytes), starting from the storage
    /// ``precompute(key:)`` returned. The working copy of the state is zeroed before returning;
    /// nothing is allocated.
    package static func authenticate(
        state precomputed: SecretBytes, message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count >= outputBytes && precomputed.count == stateBytes)
        var state = crypto_auth_hmacsha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        withUnsafeMutableBytes(of: &state) {
            $0.copyMemory(from: UnsafeRawBufferPointer(start: precomputed.address, count: stateBytes))
        }
        crypto_auth_hmacsha256_update(&state, message.sodiumPointer, UInt64(message.count))
        crypto_auth_hmacsha256_final(&state, output.sodiumPointer)
    }

    /// Writes HMAC-SHA-256(key, parts joined) into `output` (32 bytes). The state, which holds
    /// key-derived pads, is zeroed before returning.
    package static func authenticate(
        key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer], into output: UnsafeMutableRawBufferPointer
    ) {
        _ = Sodium.isReady
        var state = crypto_auth_hmacsha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        crypto_auth_hmacsha256_init(&state, key.sodiumPointer, key.count)
        for part in parts {
            crypto_auth_hmacsha256_update(&state, part.sodiumPointer, UInt64(part.count))
        }
        crypto_auth_hmacsha256_final(&state, output.sodiumPointer)
    }
}
