public import Foundation
import SessionToken
public import SessionTokenRevocation

extension RevocationService {
    /// A service over `store` for next-auth's tokens: each revocation is kept for the codec's
    /// `maxAge` plus its clock tolerance (the longest a token it decodes can live: the codec
    /// refuses any that claims more) plus the policy's `RevocationPolicy.staleAfter`.
    ///
    /// - Parameters:
    ///   - store: Where revocations are written and read back.
    ///   - codec: The next-auth codec the session cookie is read with.
    ///   - policy: What the node does when the store fails.
    ///   - list: The list the request path reads; a new one by default.
    ///   - clock: The time; tests pass their own.
    ///   - onEvent: Receives every reload, failure, staleness and revocation.
    public convenience init(
        store: any RevocationStore, codec: NextAuthCodec, policy: RevocationPolicy = RevocationPolicy(),
        list: RevocationList = RevocationList(), clock: @escaping @Sendable () -> Date = { Date() },
        onEvent: @escaping @Sendable (RevocationEvent) -> Void = { _ in }
    ) {
        self.init(
            store: store, tokenLifetime: codec.maxAge + codec.clockTolerance, policy: policy, list: list, clock: clock,
            onEvent: onEvent)
    }
}
