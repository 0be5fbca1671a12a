/// What ``SessionSealer/seal(subject:at:)`` yields: the token to send (in the session cookie)
/// and the session it opens as, made from the claims just sealed rather than by opening the
/// token again. A sign-in hands the session to the request it answers.
public struct SealedSession: Sendable, Equatable {
    /// The sealed token: a JWE compact serialisation, `kid` of the primary key.
    public let token: String
    /// The session the token opens as: a new `sid`, `auth_time` the sign-in, sealed under the
    /// primary key.
    public let session: VerifiedSession

    /// Made only by sealing: a verified session comes only out of this library.
    package init(token: String, session: VerifiedSession) {
        self.token = token
        self.session = session
    }
}
