import SessionTokenInternals

import SessionTokenInternals

/// Password hashing with Argon2id (libsodium's `crypto_pwhash_argon2id_str`): for a service
/// that signs users in with a password before it seals their session.
///
/// ```swift
/// let stored = try PasswordHash.hash("correct horse battery staple")   // $argon2id$v=19$m=...
/// PasswordHash.verify("correct horse battery staple", against: stored)  // true
/// ```
///
/// The encoded string holds the salt and the costs, so it is all a user record keeps. Costs
/// and lengths are bounded on both sides: a stored hash that asks for more memory or passes
/// than ``maxMemoryKiB`` and ``maxPasses`` is refused without being computed.
public enum PasswordHash {
    /// How much work a hash takes: libsodium's presets.
    public enum Strength: Sendable {
        /// 2 passes over 64 MiB: about 0.1 s here, for sign-in forms.
        case interactive
        /// 3 passes over 256 MiB: about 0.7 s, for rarer, more valuable secrets.
        case moderate

        var costs: (ops: Int, memory: Int) {
            switch self {
            case .interactive: Sodium.argon2idInteractive
            case .moderate: Sodium.argon2idModerate
            }
        }
    }

    /// Longest password accepted, in UTF-8 bytes (a passphrase; far more only costs time).
    public static let maxPasswordBytes = 4096
    /// Most memory a stored hash may ask for, in KiB: 256 MiB, the moderate preset.
    public static let maxMemoryKiB = 262_144
    /// Most passes a stored hash may ask for.
    public static let maxPasses = 16

    /// Hashes `password` with a fresh random salt.
    ///
    /// - Throws: ``PasswordHashError/passwordTooLong`` when the password is longer than
    ///   ``maxPasswordBytes``, ``PasswordHashError/outOfMemory`` when libsodium could not have
    ///   the memory the strength asks for.
    public static func hash(_ password: String, strength: Strength = .interactive) throws(PasswordHashError) -> String {
        let costs = strength.costs
        let encoded = withPasswordBytes(password) { bytes, length in
            Sodium.argon2idHash(bytes, length: length, ops: costs.ops, memory: costs.memory)
        }
        guard let encoded else { throw .passwordTooLong }
        guard let encoded else { throw .outOfMemory }
        return encoded
    }

    /// True when `password` is the one `encoded` was made from. False for a wrong password,
    /// and for anything that is not an Argon2id hash within the limits (argon2i, bcrypt, a
    /// truncated or tampered string, parallelism other than 1, costs over the limits).
    public static func verify(_ password: String, against encoded: String) -> Bool {
        guard encoded.utf8.count < Sodium.argon2idStringBytes, let costs = Costs(encoded), costs.parallelism == 1,
            costs.memoryKiB <= maxMemoryKiB, costs.passes <= maxPasses
        else { return false }
        let verified = withPasswordBytes(password) { bytes, length in
            Sodium.argon2idVerify(bytes, length: length, encoded: encoded)
        }
        return verified == true
    }

    /// True when `encoded` was made with other costs than `strength`'s: hash the password
    /// again after the next successful sign-in.
    public static func needsRehash(_ encoded: String, strength: Strength = .interactive) -> Bool {
        let costs = strength.costs
        return Sodium.argon2idNeedsRehash(encoded, ops: costs.ops, memory: costs.memory)
    }

    /// The password's bytes plus a terminator, zeroed after `body`; nil over the limit.
    private static func withPasswordBytes<T>(
        _ password: String, _ body: (UnsafeRawBufferPointer, Int) -> T
    ) -> T? {
        let length = password.utf8.count
        guard length <= maxPasswordBytes else { return nil }
        var bytes = [UInt8](password.utf8)
        bytes.append(0)
        defer { bytes.withUnsafeMutableBytes { Sodium.zero($0) } }
        return bytes.withUnsafeBytes { body($0, length) }
    }

    /// The costs written in an encoded hash: `$argon2id$v=19$m=M,t=T,p=P$...`.
    private struct Costs {
        let memoryKiB: Int
        let passes: Int
        let parallelism: Int

        init?(_ encoded: String) {
            let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0].isEmpty, fields[1] == "argon2id", fields[2] == "v=19" else { return nil }
            var values: [Substring: Int] = [:]
            for pair in fields[3].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[1].count <= 10, let value = Int(parts[1]) else { return nil }
                values[parts[0]] = value
            }
            guard values.count == 3, let m = values["m"], let t = values["t"], let p = values["p"] else { return nil }
            memoryKiB = m
            passes = t
            parallelism = p
        }
    }
}
