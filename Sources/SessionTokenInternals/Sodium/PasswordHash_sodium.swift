internal import CSodium

extension Sodium {
    /// libsodium's Argon2id cost presets: (passes, bytes of memory).
    package static var argon2idInteractive: (ops: Int, memory: Int) {
        (Int(crypto_pwhash_argon2id_opslimit_interactive()), Int(crypto_pwhash_argon2id_memlimit_interactive()))
    }
    package static var argon2idModerate: (ops: Int, memory: Int) {
        (Int(crypto_pwhash_argon2id_opslimit_moderate()), Int(crypto_pwhash_argon2id_memlimit_moderate()))
    }

    /// The longest encoded hash, terminator included.
    package static var argon2idStringBytes: Int { Int(crypto_pwhash_argon2id_strbytes()) }

    /// `crypto_pwhash_argon2id_str`: a random salt, the encoded `$argon2id$...` string; nil when
    /// libsodium could not allocate the memory. `password` holds `length` bytes and at least
    /// one more (the caller's terminator), so its address is never nil.
    package static func argon2idHash(_ password: UnsafeRawBufferPointer, length: Int, ops: Int, memory: Int) -> String? {
        _ = isReady
        guard let input = password.baseAddress?.assumingMemoryBound(to: CChar.self), length < password.count else { return nil }
        var out = [CChar](repeating: 0, count: argon2idStringBytes)
        let status = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return crypto_pwhash_argon2id_str(base, input, UInt64(length), UInt64(ops), memory)
        }
        guard status == 0 else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `crypto_pwhash_argon2id_str_verify`, with the same `password` contract.
    package static func argon2idVerify(_ password: UnsafeRawBufferPointer, length: Int, encoded: String) -> Bool {
        _ = isReady
        guard let input = password.baseAddress?.assumingMemoryBound(to: CChar.self), length < password.count else { return false }
        return encoded.withCString { crypto_pwhash_argon2id_str_verify($0, input, UInt64(length)) == 0 }
    }

    /// `crypto_pwhash_argon2id_str_needs_rehash`: true when `encoded` was made with other costs
    /// (or cannot be read).
    package static func argon2idNeedsRehash(_ encoded: String, ops: Int, memory: Int) -> Bool {
        _ = isReady
        return encoded.withCString { crypto_pwhash_argon2id_str_needs_rehash($0, UInt64(ops), memory) != 0 }
    }
}
