/// Why a ``RevocationStore`` failed. The message names no secret, no password and no token.
public enum RevocationStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store cannot be reached or opened.
    case unavailable(String)
    /// The store answered with an error.
    case failed(String)
    /// The revocation has an empty or over-long ID, or expires before its time.
    case invalidRevocation
    /// The store's address is not one this library reads (`sqlite:PATH`, `postgres://...`).
    case unsupportedURL(String)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .unavailable(let reason): "revocation store unavailable: \(reason)"
        case .failed(let reason): "revocation store failed: \(reason)"
        case .invalidRevocation: "invalid revocation (empty or over-long ID, or expiry before its time)"
        case .unsupportedURL(let reason): "unsupported revocation store address: \(reason)"
        }
    }
}
