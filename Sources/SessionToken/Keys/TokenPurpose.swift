/// What a token is for. Every token is sealed for exactly one purpose and opens only as that
/// purpose: a token sealed for one never opens as another, even under the same key ring.
///
/// The binding is cryptographic: a ``SessionSealer`` never uses a ring key's bytes directly,
/// but a key derived from them for its purpose (HKDF-SHA-256, RFC 5869: the ring key as input
/// keying material, an empty salt, the info `swift-session-token/purpose/v1/` followed by the
/// purpose's ``name``). A token of another purpose, or one sealed with the ring key itself,
/// fails authentication and opens as ``SessionTokenError/invalid``, like any forgery.
///
/// The library's own purposes are static members (``session``, ``vaporSessionData``). An
/// application that seals tokens of its own with the ring (a password-reset link, an e-mail
/// confirmation) names them with ``application(_:)``, whose names live apart from the
/// library's, so no application token can ever open as a session.
///
/// ```swift
/// let sessions = try SessionSealer(keys: ring)                                  // .session
/// let resets = try SessionSealer(keys: ring, purpose: .application("password-reset"))
/// ```
public struct TokenPurpose: Sendable, Hashable, CustomStringConvertible {
    /// The purpose's name as it enters the key derivation: the library's purposes are single
    /// words; an application's are `app/` followed by the name it gave.
    public let name: String

    private init(name: String) {
        self.name = name
    }

    /// A user's session: what ``SessionSealer`` seals by default and what the session cookie
    /// and the framework middlewares open.
    public static let session = TokenPurpose(name: "session")

    /// The session data that `SessionTokenVapor`'s `SealedSessionDriver` seals into Vapor's
    /// session cookie: never a signed-in session.
    public static let vaporSessionData = TokenPurpose(name: "vapor-session-data")

    /// A device-bound session's challenge: what the server asks the browser's key to sign
    /// (`SessionTokenDeviceBound`). Never a session.
    public static let deviceChallenge = TokenPurpose(name: "dbsc-challenge")

    /// A device-bound session's ticket: the device's public key and the session it is bound to,
    /// sent only to the refresh endpoint (`SessionTokenDeviceBound`). Never a session.
    public static let deviceTicket = TokenPurpose(name: "dbsc-ticket")

    /// Longest application purpose name, in UTF-8 bytes.
    public static let maxApplicationNameBytes = 64

    /// A purpose of the application's own.
    ///
    /// - Parameter name: 1 to 64 characters of `A-Z a-z 0-9 . _ -`, such as `"password-reset"`.
    /// - Throws: ``SessionTokenError/configuration(_:)`` for any other name.
    public static func application(_ name: String) throws(SessionTokenError) -> TokenPurpose {
        // Restricted to characters with no special meaning, so that the derivation's info string
        // is unambiguous and the name is safe in a message.
        guard (1...maxApplicationNameBytes).contains(name.utf8.count), name.utf8.allSatisfy(KeyID.isAllowed) else {
            throw .configuration(
                "an application purpose is 1 to \(maxApplicationNameBytes) characters of A-Z a-z 0-9 . _ -")
        }
        return TokenPurpose(name: "app/" + name)
    }

    /// The info string of the derivation: distinct from ``SessionKey/derive(fromSecret:purpose:id:encryption:)``'s
    /// `swift-session-token/v1/…`, so a key derived from a secret never equals a purpose key.
    var derivationInfo: [UInt8] { Array("swift-session-token/purpose/v1/\(name)".utf8) }

    /// The ``name``.
    public var description: String { name }
}
