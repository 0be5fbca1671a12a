/// What a device-bound session did, for metrics (`DeviceBoundMetrics`, trait `Metrics`, counts them) and logs.
/// Carries no key, token, challenge or session ID.
public enum DeviceBoundEvent: Sendable, Hashable {
    /// A browser registered a device key (`algorithm`); the session's bearer cookie is retired.
    case registered(DeviceKeyAlgorithm)
    /// A registration was refused.
    case registrationRefused(DeviceBoundRefusal)
    /// A refresh ended in `outcome`.
    case refreshed(DeviceBoundRefreshOutcome)
    /// A refresh was refused: the session ends in the browser.
    case refreshRefused(DeviceBoundRefusal)
    /// A challenge was issued: with a 403 (the browser had none), or pushed with a refresh.
    case challenged(pushed: Bool)
    /// A request carried `Secure-Session-Skipped`: the browser went ahead without the refresh it
    /// wanted, for `reason` (`unreachable`, `server_error`, `quota_exceeded`, or another).
    case skipped(reason: String)
    /// A device-bound session ended: signed out, revoked, or past its absolute lifetime.
    case ended
}

/// Why a registration or refresh was refused; never sent to the browser.
public enum DeviceBoundRefusal: String, Sendable, Hashable, CaseIterable {
    /// The proof is not a well-formed `dbsc+jwt`, or names an algorithm not offered.
    case malformedProof
    /// The device key is malformed, off the curve, or too small.
    case badKey
    /// The signature does not verify under the device's key.
    case badSignature
    /// The proof signs no challenge this service issued for this session.
    case badChallenge
    /// No valid session (registration) or ticket (refresh) came with the request.
    case noSession
}

/// How a refresh ended.
public enum DeviceBoundRefreshOutcome: String, Sendable, Hashable, CaseIterable {
    /// A fresh bound cookie was issued.
    case refreshed
    /// The browser was asked to sign a challenge first (403).
    case challenged
    /// The session was revoked or past its absolute lifetime: `{"continue": false}`.
    case ended
    /// The revocation set was stale (the store unreachable): 503, the browser retries later.
    case unavailable
}
