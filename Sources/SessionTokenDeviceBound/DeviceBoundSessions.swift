import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenInternals
import SessionTokenRevocation

/// The server side of W3C Device Bound Session Credentials, kept stateless like the rest of
/// the library: no row per session, only sealed tokens of three purposes.
///
/// - The **bound cookie** is the session cookie itself, under its usual name: a session token
///   that lives ``cookieLifetime`` seconds and says it is bound (`"dbsc":1`), so it is
///   never re-issued by opening it. Every request opens it as before, at the same cost.
/// - The **ticket** (``TokenPurpose/deviceTicket``) holds the device's public key, the session
///   (`sub`, `sid`, `auth_time`, custom claims) and a generation; it is sent only to the
///   refresh path and lives as long as a session may.
/// - A **challenge** (``TokenPurpose/deviceChallenge``) names the session and the generation
///   it is for. Registration's is generation 0 and names the bearer session; a refresh's names
///   the ticket's, and each refresh moves the ticket on, so a challenge opens one refresh.
///
/// Registration moves the session to a new `sid` and revokes the old one, so the bearer cookie
/// issued at sign-in (and any copy of it) stops working: after it, only the device's key gets
/// a cookie of the session.
struct DeviceBoundSessions: DeviceBindingImplementation {
    let origin: String
    let registrationPath: String
    let refreshPath: String
    let cookieLifetime: TimeInterval
    let algorithms: [DeviceKeyAlgorithm]
    let onEvent: (@Sendable (DeviceBoundEvent) -> Void)?

    /// A challenge is good for a cookie's lifetime and a minute: a pushed one is used when the
    /// cookie has under 120 s left, and an older one gets a fresh challenge (403), not an end.
    var challengeLifetime: TimeInterval { cookieLifetime + 60 }

    static let maxCookieLifetime: TimeInterval = 86_400

    init(
        origin: String, registrationPath: String, refreshPath: String, cookieLifetime: TimeInterval,
        algorithms: [DeviceKeyAlgorithm], onEvent: (@Sendable (DeviceBoundEvent) -> Void)?
    ) throws(SessionTokenError) {
        guard let url = URL(string: origin), let scheme = url.scheme, let host = url.host, !host.isEmpty,
            url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil,
            scheme == "https" || (scheme == "http" && (host == "localhost" || host == "127.0.0.1"))
        else {
            throw .configuration("the device-bound origin must be https://host[:port] (or http://localhost)")
        }
        for path in [registrationPath, refreshPath] {
            guard path.hasPrefix("/"), path.utf8.count <= 256,
                path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            else { throw .configuration("device-bound paths must be absolute paths of printable ASCII") }
        }
        guard registrationPath != refreshPath else {
            throw .configuration("the registration and refresh paths must differ")
        }
        guard cookieLifetime.isFinite, cookieLifetime > 120, cookieLifetime <= Self.maxCookieLifetime else {
            throw .configuration("a bound cookie must live more than 120 seconds (Chromium refreshes with 120 s left) and at most a day")
        }
        guard !algorithms.isEmpty else { throw .configuration("offer at least one device key algorithm") }
        self.origin = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        self.registrationPath = registrationPath
        self.refreshPath = refreshPath
        self.cookieLifetime = cookieLifetime.rounded(.down)
        var unique: [DeviceKeyAlgorithm] = []
        for algorithm in algorithms where !unique.contains(algorithm) { unique.append(algorithm) }
        self.algorithms = unique
        self.onEvent = onEvent
    }

    // MARK: The sealers of the three purposes, from the request's session sealer

    /// The three purposes' sealers for one request, made once from its session sealer: each
    /// derives its purpose's key from every ring key (HKDF), so they are not made twice.
    struct Sealers {
        /// The bound cookie's: the session's, with the bound lifetime.
        let bound: SessionSealer
        /// The ticket's: as long-lived as the session may be.
        let ticket: SessionSealer
        let challenge: SessionSealer
    }

    func sealers(_ session: SessionSealer) throws(SessionTokenError) -> Sealers {
        Sealers(
            bound: try SessionSealer(
                keys: session.keys, purpose: .session, lifetime: min(cookieLifetime, session.lifetime),
                leeway: session.leeway, maxTokenLength: session.maxTokenLength, issuer: session.issuer,
                audience: session.audience, updateAge: session.updateAge, absoluteLifetime: session.absoluteLifetime),
            ticket: try SessionSealer(
                keys: session.keys, purpose: .deviceTicket, lifetime: session.lifetime, leeway: session.leeway,
                maxTokenLength: SessionSealer.maxTokenLengthLimit, updateAge: 315_360_000,
                absoluteLifetime: session.absoluteLifetime),
            challenge: try challengeSealer(session))
    }

    /// The challenges' sealer.
    func challengeSealer(_ session: SessionSealer) throws(SessionTokenError) -> SessionSealer {
        try SessionSealer(
            keys: session.keys, purpose: .deviceChallenge, lifetime: challengeLifetime, leeway: 0,
            updateAge: 315_360_000, absoluteLifetime: nil)
    }

    // MARK: Challenges

    private struct ChallengeClaims: Codable {
        /// The generation of the session's ticket it is for; 0 for registration.
        let g: Int
    }

    /// A challenge for `sessionID` at `generation`, sealed by `sealer` (``challengeSealer(_:)``'s).
    func makeChallenge(sessionID: String, generation: Int, sealer: SessionSealer, at now: Date) throws(SessionTokenError)
        -> String
    {
        try sealer.seal(subject: sessionID, custom: ChallengeClaims(g: generation), at: now).token
    }

    /// True when `challenge` was issued by this service, within its lifetime, for `sessionID`
    /// at `generation`.
    func isChallenge(_ challenge: String, for sessionID: String, generation: Int, sealer: SessionSealer, at now: Date)
        -> Bool
    {
        guard let opened = try? sealer.open(challenge, decoding: ChallengeClaims.self, at: now) else {
            return false
        }
        return opened.session.subject == sessionID && opened.custom.g == generation
    }

    // MARK: DeviceBindingImplementation

    func respond(path: Substring, header: (String) -> String?, configuration: SessionConfiguration, at now: Date)
        async -> DeviceBindingResponse
    {
        guard configuration.deviceBindingIsUsable else { return .status(404) }
        if path == registrationPath {
            return await register(header: header, configuration: configuration, at: now)
        }
        return refresh(header: header, configuration: configuration, at: now)
    }

    func registrationOffer(for session: VerifiedSession, sealer: SessionSealer, at now: Date) -> (
        name: String, value: String
    )? {
        guard !session.claims.isDeviceBound, let sessionID = session.claims.sessionID,
            let challengeSealer = try? challengeSealer(sealer),
            let challenge = try? makeChallenge(sessionID: sessionID, generation: 0, sealer: challengeSealer, at: now),
            let value = DeviceBoundHeaders.registration(algorithms: algorithms, path: registrationPath, challenge: challenge)
        else { return nil }
        return (DeviceBoundHeaders.registration, value)
    }

    func observeSkipped(_ field: String) {
        guard let onEvent, let skipped = DeviceBoundHeaders.skipped(field) else { return }
        // Chromium's reasons are short tokens; anything else is counted as one bucket.
        let known = ["unreachable", "server_error", "quota_exceeded"]
        onEvent(.skipped(reason: known.contains(skipped.reason) ? skipped.reason : "other"))
    }

    func observeSignOut() {
        onEvent?(.ended)
    }

    func signOutLines(policy: CookiePolicy) -> [String] {
        (try? ticketCookie(policy, maxAge: nil).expiringSetCookie().headerValue()).map { [$0] } ?? []
    }

    // MARK: Cookies

    /// The bound cookie's definition: the session cookie's, living as long as its token.
    func boundCookie(_ policy: CookiePolicy, expiresAt: Double, at now: Date) -> CookieDefinition {
        var definition = policy.session
        definition.maxAge = max(1, Int(min(cookieLifetime, expiresAt - now.timeIntervalSince1970)))
        return definition
    }

    /// The ticket's definition: sent only to the refresh path, never to scripts, never cross-site.
    /// `__Secure-` rather than `__Host-`: a `__Host-` cookie must have `Path=/`, and then it
    /// would ride along on every request.
    func ticketCookie(_ policy: CookiePolicy, maxAge: Int?) -> CookieDefinition {
        let secure = policy.session.secure
        return CookieDefinition(
            name: (secure ? "__Secure-" : "") + "dbsc-ticket", category: .essential, maxAge: maxAge, path: refreshPath,
            domain: nil, secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The bound cookie's attributes as the session instructions name them: what the
    /// `Set-Cookie` says, without its lifetime (Chromium refuses `Max-Age` there).
    func credentialAttributes(_ definition: CookieDefinition) -> String {
        var parts = ["Path=\(definition.path)"]
        if let domain = definition.domain { parts.append("Domain=\(domain)") }
        if definition.secure { parts.append("Secure") }
        if definition.httpOnly { parts.append("HttpOnly") }
        parts.append("SameSite=\(definition.sameSite.rawValue)")
        return parts.joined(separator: "; ")
    }

    func event(_ event: DeviceBoundEvent) { onEvent?(event) }
}

extension DeviceBindingResponse {
    static func status(_ status: Int, _ headers: [(name: String, value: String)] = []) -> DeviceBindingResponse {
        DeviceBindingResponse(status: status, headers: [("Cache-Control", "no-store")] + headers, body: [])
    }
}
