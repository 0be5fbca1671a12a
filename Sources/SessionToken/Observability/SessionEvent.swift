/// What a session layer did, one value an event, for an operator's metrics and logs: the
/// framework middlewares report one for each request that carried a session cookie, and one
/// for each token they seal, to the configuration's `onEvent`. `SessionTokenMetrics`'s
/// `SessionMetrics.record(_:)` counts them with swift-metrics.
///
/// Events are reported the one way the library reports anything: a `@Sendable` closure taking
/// an event enum (`RevocationEvent` for a `RevocationService`). With no closure configured
/// nothing is made or called, so the default costs the hot path one test of an optional.
public enum SessionEvent: Sendable, Equatable {
    /// A session cookie was opened: its outcome and, when it opened under this library's keys,
    /// the ID of the key that authenticated it (always one of the ring's IDs, so its values are
    /// bounded).
    case opened(OpenOutcome, keyID: String?)
    /// A token was sealed under `key`'s ID with its encryption: a sign-in, or a re-issue when
    /// `reissue`.
    case sealed(keyID: String, encryption: TokenEncryption, reissue: Bool)
}

extension SessionEvent {
    /// A seal under `key`: its ID and encryption, never the key itself.
    package static func sealed(by key: SessionKey, reissue: Bool) -> SessionEvent {
        .sealed(keyID: key.id, encryption: key.encryption, reissue: reissue)
    }
}
