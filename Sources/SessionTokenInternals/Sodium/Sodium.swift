internal import CSodium

/// The thin boundary to libsodium. Every call into C from the library goes through this
/// folder; no C type leaves it.
package enum Sodium {
    /// `sodium_init()` must run once before the first use. A lazily initialised static runs it
    /// exactly once, thread-safely, on first touch; later reads are a single load.
    static let isReady: Bool = sodium_init() >= 0

    /// The version string of the linked libsodium, for diagnostics.
    static var versionString: String { String(cString: sodium_version_string()) }

    /// Fills `buffer` from libsodium's CSPRNG (`getrandom(2)` on Linux: no user-space state,
    /// so it stays safe across threads and `fork`).
    @inline(__always)
    package static func randomBytes(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = isReady
        randombytes_buf(base, buffer.count)
    }

    /// Zeroes memory in a way the optimiser may not remove.
    package static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// `sodium_bin2hex` into exactly `2 * bytes.count` bytes of `output`. libsodium writes a
    /// terminating NUL after the digits, so it runs on two-byte pieces into a three-byte stack
    /// buffer only when `output` has no room for it.
    static func hex(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= 2 * bytes.count)
        guard let source = bytes.baseAddress, let target = output.baseAddress, bytes.count > 0 else { return }
        let hex = target.assumingMemoryBound(to: CChar.self)
        if output.count > 2 * bytes.count {
            _ = sodium_bin2hex(hex, output.count, source.assumingMemoryBound(to: UInt8.self), bytes.count)
            return
        }
        // Every byte but the last in place (its NUL lands where the next digits go), then the
        // last through a small buffer that is wiped.
        let last = bytes.count - 1
        if last > 0 {
            _ = sodium_bin2hex(hex, 2 * last + 1, source.assumingMemoryBound(to: UInt8.self), last)
        }
        var tail: (CChar, CChar, CChar) = (0, 0, 0)
        withUnsafeMutableBytes(of: &tail) { buffer in
            let t = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            _ = sodium_bin2hex(t, 3, source.assumingMemoryBound(to: UInt8.self) + last, 1)
            hex[2 * last] = t[0]
            hex[2 * last + 1] = t[1]
            sodium_memzero(buffer.baseAddress!, 3)
        }
    }

    /// Constant-time equality of two buffers; different lengths are unequal (the length is not secret).
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return sodium_memcmp(pa, pb, a.count) == 0
    }

    /// Decodes unpadded base64url with libsodium's constant-time decoder, for key material.
    /// Rejects padding, whitespace, the standard alphabet and non-canonical trailing bits.
    /// Writes into `output` and returns the decoded length, or nil when the input is not
    /// canonical base64url or does not fit.
    package static func decodeSecretBase64URL(_ text: String, into output: UnsafeMutableRawBufferPointer) -> Int? {
        _ = isReady
        guard let out = output.baseAddress else { return nil }
        var utf8 = Array(text.utf8)
        defer { utf8.withUnsafeMutableBytes { zero($0) } }
        var decodedLength = 0
        let status: Int32 = utf8.withUnsafeBytes { input in
            let chars = UnsafeRawPointer(input.sodiumPointer).assumingMemoryBound(to: CChar.self)
            return sodium_base642bin(
                out.assumingMemoryBound(to: UInt8.self), output.count,
                chars, input.count,
                nil, &decodedLength, nil,
                sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        }
        guard status == 0 else { return nil }
        return decodedLength
    }

    /// Encodes key material as unpadded base64url with libsodium's constant-time encoder.
    package static func encodeSecretBase64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        _ = isReady
        let variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING
        let capacity = sodium_base64_encoded_len(bytes.count, variant)
        var chars = [CChar](repeating: 0, count: capacity)
        defer { chars.withUnsafeMutableBytes { zero($0) } }
        chars.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            _ = sodium_bin2base64(base, capacity, bytes.sodiumPointer, bytes.count, variant)
        }
        let length = chars.firstIndex(of: 0) ?? chars.count
        return String(decoding: chars[..<length].lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// BLAKE2b keyed with `key` over `message`, written to `output` (16 to 64 bytes).
    package static func keyedHash(
        key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        _ = isReady
        crypto_generichash(
            output.sodiumPointer, output.count,
            message.sodiumPointer, UInt64(message.count),
            key.sodiumPointer, key.count)
    }
}

/// libsodium declares its pointer parameters non-null even where the length may be zero;
/// an empty buffer has no base address, so it is given one valid byte to point at.
nonisolated(unsafe) private let emptyBufferByte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

extension UnsafeRawBufferPointer {
    @inline(__always)
    var sodiumPointer: UnsafePointer<UInt8> {
        guard let base = baseAddress else { return UnsafePointer(emptyBufferByte) }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    var sodiumPointer: UnsafeMutablePointer<UInt8> {
        guard let base = baseAddress else { return emptyBufferByte }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
