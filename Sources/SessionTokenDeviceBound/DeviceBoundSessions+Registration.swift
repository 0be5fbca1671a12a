import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenInternals
import SessionTokenRevocation

extension DeviceBoundSessions {
    /// `POST registrationPath`: the browser proves a new key for the session its cookie holds.
    ///
    /// In order: the proof is there; the request's session cookie opens, is a bearer session
    /// (not already bound) and is not revoked; the proof verifies under its own `jwk` for an
    /// offered algorithm and signs this session's registration challenge. Then the session
    /// moves to a new `sid` (keeping its user, sign-in time and claims), its bound cookie and
    /// ticket are sealed, and the old `sid` is revoked, which retires the bearer cookie and
    /// every copy of it. A store that cannot take the revocation answers 503 and nothing is
    /// bound: the browser keeps its ordinary session.
    func register(header: (String) -> String?, configuration: SessionConfiguration, at now: Date) async
        -> DeviceBindingResponse
    {
        let sealer = configuration.keys.sealer
        let policy = configuration.policy
        guard let revocations = configuration.revocations else { return .status(404) }
        guard let proofText = DeviceBoundHeaders.value(header(DeviceBoundHeaders.response)) else {
            return refused(.malformedProof, status: 400)
        }

        // 1. The bearer session the browser is signed in with.
        let cookies = (header("Cookie").flatMap { try? RequestCookies(header: $0, limits: configuration.cookieLimits) })
            ?? .empty
        guard case .value(let token) = CookieChunks.join(cookies, name: policy.session.name, maxLength: sealer.maxTokenLength),
            let (session, customMembers) = try? sealer.withOpenedToken(token, at: now, { session, payload throws(SessionTokenError) in
                guard let members = try? ClaimsReader.customMembers(payload, limits: sealer.claimsLimits) else {
                    throw .invalid
                }
                return (session, members)
            }),
            !session.claims.isDeviceBound, let subject = session.claims.subject,
            let sessionID = session.claims.sessionID, let start = session.claims.sessionStart
        else { return refused(.noSession, status: 401) }
        guard !revocations.isStale else { return .status(503, [("Retry-After", "30")]) }
        guard !revocations.current.revokes(session) else { return refused(.noSession, status: 401) }

        // 2. The proof: its own key, an offered algorithm, this session's registration challenge.
        let proof: DeviceProof
        do throws(ProofRejection) {
            proof = try DeviceProof.registration(proofText, offered: algorithms)
        } catch {
            return refused(DeviceBoundRefusal(error), status: 400)
        }
        guard let sealers = try? sealers(sealer) else { return .status(500) }
        guard isChallenge(proof.challenge, for: sessionID, generation: 0, sealer: sealers.challenge, at: now) else {
            return refused(.badChallenge, status: 400)
        }

        // 3. The bound session: a new `sid`, its cookie, its ticket, the next challenge.
        let ticket = DeviceTicket(
            subject: subject, sessionID: SessionSealer.makeSessionID(), sessionStart: start.timeIntervalSince1970,
            key: proof.key, generation: 1, customMembers: customMembers)
        let issued: [(name: String, value: String)]
        do throws(SessionTokenError) {
            issued = try issue(ticket, sealers: sealers, policy: policy, request: cookies, at: now)
        } catch {
            return refused(.noSession, status: 401)
        }

        // 4. The bearer cookie retired: its `sid` revoked, on every node once the store says so.
        do {
            try await revocations.revokeSession(sessionID)
        } catch {
            return .status(503, [("Retry-After", "30")])
        }

        event(.registered(proof.key.algorithm))
        let instructions = SessionInstructions(
            sessionIdentifier: ticket.sessionID, refreshURL: refreshPath, origin: origin,
            cookieName: policy.session.name, cookieAttributes: credentialAttributes(policy.session))
        return DeviceBindingResponse(
            status: 200,
            headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")] + issued,
            body: instructions.json)
    }

    /// The header fields of a bound session at `ticket`'s generation: its cookie, its ticket
    /// and the challenge pushed for the next refresh.
    func issue(
        _ ticket: DeviceTicket, sealers: Sealers, policy: CookiePolicy, request cookies: RequestCookies, at now: Date
    ) throws(SessionTokenError) -> [(name: String, value: String)] {
        let bound = try sealers.bound.seal(
            subject: ticket.subject, customMembers: ticket.boundMembers[...], at: now,
            continuing: .init(sessionID: ticket.sessionID, authTime: ticket.sessionStart))
        let sealedTicket = try ticket.seal(with: sealers.ticket, at: now)
        let challenge = try makeChallenge(
            sessionID: ticket.sessionID, generation: ticket.generation, sealer: sealers.challenge, at: now)
        guard let challengeField = DeviceBoundHeaders.challenge(challenge, sessionID: ticket.sessionID) else {
            throw .unsealable("the challenge does not fit a structured field")
        }
        var headers: [(name: String, value: String)] = []
        do throws(CookieError) {
            // One cookie, whatever chunks of the bearer cookie the request carried expired.
            let boundDefinition = boundCookie(policy, expiresAt: bound.expiresAt, at: now)
            for line in try CookieChunks.setCookieLines(
                for: bound.token, template: boundDefinition.setCookie(value: "", at: now),
                chunkSize: SessionSealer.maxTokenLengthLimit, request: cookies)
            {
                headers.append(("Set-Cookie", line))
            }
            let ticketMaxAge = max(1, Int(sealedTicket.expiresAt - now.timeIntervalSince1970))
            headers.append(
                ("Set-Cookie", try ticketCookie(policy, maxAge: ticketMaxAge).setCookie(value: sealedTicket.token, at: now).headerValue()))
        } catch {
            throw .unsealable("the bound session's cookies cannot be written: \(error)")
        }
        headers.append((DeviceBoundHeaders.challenge, challengeField))
        event(.challenged(pushed: true))
        return headers
    }

    func refused(_ reason: DeviceBoundRefusal, status: Int) -> DeviceBindingResponse {
        event(.registrationRefused(reason))
        return .status(status)
    }
}

extension DeviceBoundRefusal {
    init(_ rejection: ProofRejection) {
        switch rejection {
        case .malformed, .algorithm, .type: self = .malformedProof
        case .key: self = .badKey
        case .signature: self = .badSignature
        case .challenge: self = .badChallenge
        }
    }
}
