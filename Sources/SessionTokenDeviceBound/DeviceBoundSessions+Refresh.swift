import Foundation
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenRevocation

extension DeviceBoundSessions {
    /// `POST refreshPath`: the browser wants a fresh bound cookie.
    ///
    /// The status codes follow what the browser does with them: 403 asks it to sign a
    /// challenge and try again; 200 with a cookie (and the next challenge, so the next refresh
    /// takes one round trip) continues; 200 with `{"continue":false}` ends the session cleanly;
    /// any other 4xx ends it too; a 5xx only makes it back off, which is why a stale revocation
    /// set (the store unreachable) answers 503 rather than anything that would sign the user out.
    func refresh(header: (String) -> String?, configuration: SessionConfiguration, at now: Date)
        -> DeviceBindingResponse
    {
        guard let sealers = try? sealers(configuration.keys.sealer) else { return .status(500) }
        let policy = configuration.policy
        let cookies = (header("Cookie").flatMap { try? RequestCookies(header: $0, limits: configuration.cookieLimits) })
            ?? .empty

        // 1. The ticket: the session and the device's key. Without one (signed out, cleared,
        //    or past its lifetime) the session the browser names ends cleanly.
        let named = DeviceBoundHeaders.value(header(DeviceBoundHeaders.sessionID))
        let ticket: DeviceTicket
        do throws(SessionTokenError) {
            guard let text = cookies[ticketCookie(policy, maxAge: nil).name] else { throw .expired }
            ticket = try DeviceTicket.open(text, with: sealers.ticket, at: now)
        } catch .expired {
            guard let named else { return refreshRefused(.noSession) }
            return ended(named, policy, at: now)
        } catch {
            return refreshRefused(.noSession)
        }
        if let named, named != ticket.sessionID { return refreshRefused(.noSession) }

        // 2. Revocations: "sign out" and "sign out everywhere" reach a bound session here.
        guard let revocations = configuration.revocations else { return .status(404) }
        guard !revocations.isStale else {
            event(.refreshed(.unavailable))
            return .status(503, [("Retry-After", "30")])
        }
        let start = Date(timeIntervalSince1970: ticket.sessionStart)
        if revocations.current.revokes(subject: ticket.subject, sessionStart: start, sessionID: ticket.sessionID) {
            return ended(ticket.sessionID, policy, at: now)
        }

        // 3. The proof, or a challenge to sign.
        guard let proofText = DeviceBoundHeaders.value(header(DeviceBoundHeaders.response)) else {
            return challenge(ticket, sealer: sealers.challenge, at: now)
        }
        let proof: DeviceProof
        do throws(ProofRejection) {
            proof = try DeviceProof.refresh(proofText, key: ticket.key)
        } catch {
            return refreshRefused(DeviceBoundRefusal(error))
        }
        // An old, used or foreign challenge gets a fresh one: a browser idle past a pushed
        // challenge's lifetime signs again rather than losing its session.
        guard
            isChallenge(proof.challenge, for: ticket.sessionID, generation: ticket.generation, sealer: sealers.challenge, at: now)
        else { return challenge(ticket, sealer: sealers.challenge, at: now) }

        // 4. A fresh cookie, the ticket moved on, the next challenge pushed.
        let issued: [(name: String, value: String)]
        do throws(SessionTokenError) {
            issued = try issue(ticket.next, sealers: sealers, policy: policy, request: cookies, at: now)
        } catch .expired {
            return ended(ticket.sessionID, policy, at: now)
        } catch {
            return refreshRefused(.noSession)
        }
        event(.refreshed(.refreshed))
        return DeviceBindingResponse(status: 200, headers: [("Cache-Control", "no-store")] + issued, body: [])
    }

    /// 403 with a challenge for the ticket's generation, sealed by the challenge sealer.
    private func challenge(_ ticket: DeviceTicket, sealer: SessionSealer, at now: Date) -> DeviceBindingResponse {
        guard let challenge = try? makeChallenge(
            sessionID: ticket.sessionID, generation: ticket.generation, sealer: sealer, at: now),
            let field = DeviceBoundHeaders.challenge(challenge, sessionID: ticket.sessionID)
        else { return .status(500) }
        event(.challenged(pushed: false))
        event(.refreshed(.challenged))
        return .status(403, [(DeviceBoundHeaders.challenge, field)])
    }

    /// `{"session_identifier":…,"continue":false}`, with the bound cookie and the ticket expired
    /// (Chromium leaves the bound cookie in place when a session ends).
    private func ended(_ sessionIdentifier: String, _ policy: CookiePolicy, at now: Date) -> DeviceBindingResponse {
        event(.refreshed(.ended))
        event(.ended)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        for definition in [policy.session, ticketCookie(policy, maxAge: nil)] {
            if let line = try? definition.expiringSetCookie().headerValue() { headers.append(("Set-Cookie", line)) }
        }
        return DeviceBindingResponse(
            status: 200, headers: headers, body: SessionInstructions.end(sessionIdentifier: sessionIdentifier))
    }

    private func refreshRefused(_ reason: DeviceBoundRefusal) -> DeviceBindingResponse {
        event(.refreshRefused(reason))
        return .status(401)
    }
}
