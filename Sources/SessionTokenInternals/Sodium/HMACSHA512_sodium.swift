internal import CSodium

/// HMAC-SHA-512 from libsodium (`crypto_auth_hmacsha512_*`), streaming over several parts so
/// that `A256CBC-HS512` (next-auth v5) can authenticate AAD, IV, ciphertext and the AAD's bit
/// length where they lie, without concatenating them.
///
/// The state after the key's inner and outer pads are hashed is computed once per key
/// (``precompute(key:prefix:)``), with the message's fixed start absorbed too where there is one
/// (next-auth's header for a secret): each message then starts from a copy of it, which saves
/// two or three of the six to eight SHA-512 compressions a token of a few hundred bytes costs.
package enum HMACSHA512 {
    package static let outputBytes = 64
    /// Size of `crypto_auth_hmacsha512_state`.
    package static let stateBytes = MemoryLayout<crypto_auth_hmacsha512_state>.size

    /// The state after `crypto_auth_hmacsha512_init` with `key` and, when given, the update
    /// with `prefix` (a message start every message shares), in wiped storage: it is as secret
    /// as the key.
    package static func precompute(
        key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) -> SecretBytes {
        _ = Sodium.isReady
        return SecretBytes(count: stateBytes) { storage in
            let state = storage.baseAddress!.bindMemory(to: crypto_auth_hmacsha512_state.self, capacity: 1)
            crypto_auth_hmacsha512_init(state, key.sodiumPointer, key.count)
            crypto_auth_hmacsha512_update(state, prefix.sodiumPointer, UInt64(prefix.count))
        }
    }

    /// Writes HMAC-SHA-512(key, parts joined) into `output` (64 bytes), starting from the
    /// storage ``precompute(key:prefix:)`` returned. The working copy of the state is zeroed before
    /// returning.
    package static func authenticate(
        state precomputed: SecretBytes,
        parts: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer),
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count >= outputBytes && precomputed.count == stateBytes)
        var state = crypto_auth_hmacsha512_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.zero($0) } }
        withUnsafeMutableBytes(of: &state) {
            $0.copyMemory(from: UnsafeRawBufferPointer(start: precomputed.address, count: stateBytes))
        }
        crypto_auth_hmacsha512_update(&state, parts.0.sodiumPointer, UInt64(parts.0.count))
        crypto_auth_hmacsha512_update(&state, parts.1.sodiumPointer, UInt64(parts.1.count))
        crypto_auth_hmacsha512_update(&state, parts.2.sodiumPointer, UInt64(parts.2.count))
        crypto_auth_hmacsha512_update(&state, parts.3.sodiumPointer, UInt64(parts.3.count))
        crypto_auth_hmacsha512_final(&state, output.sodiumPointer)
    }
}
