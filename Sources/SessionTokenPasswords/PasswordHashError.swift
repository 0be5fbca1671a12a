/// Why ``PasswordHash/hash(_:strength:)`` made no hash. It never holds the password.
public enum PasswordHashError: Error, Sendable, Equatable {
    /// The password is longer than ``PasswordHash/maxPasswordBytes`` UTF-8 bytes.
    case passwordTooLong
    /// libsodium could not allocate the memory the strength asks for (64 MiB for
    /// ``PasswordHash/Strength/interactive``, 256 MiB for ``PasswordHash/Strength/moderate``).
    case outOfMemory
}
