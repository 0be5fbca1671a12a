#if Configuration
public import Configuration

extension KeyRingSource {
    /// The spec at `key` of a swift-configuration reader, read as a secret (its access
    /// reporters and logs show it redacted). Any provider serves: environment variables, a
    /// file, a directory of secrets; a reloading provider's changes reach the ring through
    /// ``KeyRingReloader/init(_:watching:key:onReload:)``.
    ///
    /// ```swift
    /// let config = ConfigReader(provider: EnvironmentVariablesProvider())
    /// let keys = try KeyRingProvider(source: .configuration(config, key: "session.token.keys"))
    /// ```
    ///
    /// - Parameters:
    ///   - reader: The configuration reader.
    ///   - key: The key that holds the spec.
    /// - Returns: A source whose load throws ``SessionTokenError/configuration(_:)`` naming the
    ///   key (never its value) when the key is missing or empty.
    public static func configuration(_ reader: ConfigReader, key: ConfigKey) -> KeyRingSource {
        .custom {
            guard let spec = reader.string(forKey: key, isSecret: true), !isBlank(spec) else {
                throw SessionTokenError.configuration("configuration key \(key) is not set")
            }
            return spec
        }
    }
}
#endif
