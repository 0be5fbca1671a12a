import Foundation
import SessionCookies
import SessionToken
@testable import SessionTokenHTTP
import SessionTokenNextAuth
import SessionTokenRevocation
import SessionTokenTestSupport
import XCTest

/// A re-issued request decrypts its token once: each format opens the token and seals the
/// replacement from the same decryption, asking the configuration (its revocation check)
/// before anything is sealed. These tests hold the formats to that call back and the request
/// path to never re-issuing a revoked session.
final class SingleOpenReissueTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let spec = "k1:" + String(repeating: "A", count: 42) + "E"

    func keys() throws -> KeyRingProvider { try KeyRingProvider(source: .custom { Self.spec }) }

    /// The formats under test, each with a token of its own for `alice` sealed at `now`.
    func formats() throws -> [(name: String, format: any TokenFormatImplementation, token: String)] {
        let keys = try keys()
        let native = try keys.sealer.seal(subject: "alice", at: Self.now).token
        var result: [(String, any TokenFormatImplementation, String)] = [("native", NativeTokenFormat(), native)]
        for version in [NextAuthFormat.v4, .v5(cookieName: "authjs.session-token")] {
            let codec = try NextAuthCodec(secrets: ["front-end-secret"], format: version)
            let token = try codec.encode(NextAuthClaims(email: "a@example.com", subject: "alice", expiresAt: Self.now), at: Self.now)
            result.append(("next-auth \(version)", SessionTokenFormat.nextAuth(codec).implementation, token))
        }
        return result
    }

    /// The call back sees every session that opened exactly once, whether or not it is due;
    /// its answer alone decides whether a due session gets a replacement; a token that does not
    /// open is never shown to it.
    func testTheCallBackSeesEveryOpenedSessionOnceAndDecidesTheReissue() throws {
        let sealer = try keys().sealer
        let due = Self.now.addingTimeInterval(2 * 86_400)
        for (name, format, token) in try formats() {
            for (at, allow, expectReplacement) in [(Self.now, true, false), (due, false, false), (due, true, true)] {
                var calls: [String] = []
                let opening = format.open(token, sealer: sealer, at: at) { session in
                    calls.append(session.subject)
                    return allow
                }
                XCTAssertEqual(calls, ["alice"], "\(name) at \(at), allow \(allow)")
                guard case .opened(let session, let replacement, _) = opening else {
                    XCTFail("\(name): the token did not open")
                    continue
                }
                XCTAssertEqual(session.subject, "alice")
                XCTAssertEqual(replacement != nil, expectReplacement, "\(name) at \(at), allow \(allow)")
                if let replacement {
                    // The replacement is a token of the same format for the same subject, newer.
                    var again: [String] = []
                    guard case .opened(let reopened, _, _) = format.open(replacement, sealer: sealer, at: due, mayReissue: {
                        again.append($0.subject)
                        return false
                    }) else {
                        XCTFail("\(name): the replacement does not open")
                        continue
                    }
                    XCTAssertEqual(reopened.subject, "alice")
                    XCTAssertEqual(again, ["alice"])
                    XCTAssertGreaterThan(try XCTUnwrap(reopened.issuedAt), try XCTUnwrap(session.issuedAt))
                }
            }
            // A tampered token, and one past its expiry, never reach the call back.
            var tampered = Array(token.utf8)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            for (bad, at) in [(String(decoding: tampered, as: UTF8.self), Self.now), (token, Self.now.addingTimeInterval(400 * 86_400))] {
                var called = false
                let opening = format.open(bad, sealer: sealer, at: at) { _ in
                    called = true
                    return true
                }
                XCTAssertFalse(called, name)
                guard case .failed = opening else { return XCTFail("\(name): a bad token opened") }
            }
        }
    }

    /// Through the configuration: a session revoked on this node and due for re-issue opens
    /// signed out, with nothing sealed for it (no event, no cookie that opens); the same token
    /// on a node without the revocation is re-issued, once.
    func testARevokedSessionDueForReissueGetsNothingSealed() async throws {
        let keys = try keys()
        let clock = TestClock(Self.now)
        let node = RevocationService(store: InMemoryRevocationStore(), sealer: keys.sealer, clock: { clock.now })
        try await node.start()
        let events = EventLog()
        let sessions = SessionConfiguration(keys: keys, clock: { clock.now }, revocations: node, onEvent: { events.append($0) })
        let name = sessions.policy.session.name
        let token = try keys.sealer.seal(subject: "alice", at: Self.now).token
        clock.now = Self.now.addingTimeInterval(2 * 86_400)

        let unaware = SessionConfiguration(keys: keys, clock: { clock.now }, onEvent: { events.append($0) })
        let reissued = unaware.open(cookieHeader: "\(name)=\(token)")
        XCTAssertEqual(reissued.subject, "alice")
        XCTAssertEqual(reissued.responseSetCookies().count, 1)
        XCTAssertEqual(events.sealedReissues, 1)

        try await node.revokeUser("alice")
        await node.reload()  // fresh: a stale node would re-issue nothing, revoked or not
        let revoked = sessions.open(cookieHeader: "\(name)=\(token)")
        XCTAssertNil(revoked.session)
        XCTAssertEqual(events.sealedReissues, 1, "nothing was sealed for the revoked session")
        for line in revoked.responseSetCookies() {
            let value = String(line.prefix { $0 != ";" }.drop { $0 != "=" }.dropFirst())
            XCTAssertThrowsError(try keys.sealer.open(value, at: clock.now), "a Set-Cookie line carries a session: \(line)")
        }

        // What the configuration answers the format: no re-issue for the revoked session, one
        // for a live one; the format is asked once a request.
        let spy = SpyFormat()
        let watched = SessionConfiguration(
            keys: keys, format: SessionTokenFormat(spy), clock: { clock.now }, revocations: node)
        XCTAssertNil(watched.open(cookieHeader: "\(name)=\(token)").session)
        let bob = try keys.sealer.seal(subject: "bob", at: Self.now).token
        XCTAssertEqual(watched.open(cookieHeader: "\(name)=\(bob)").responseSetCookies().count, 1)
        XCTAssertEqual(spy.answers, [false, true])
    }
}

/// The native format, recording what the configuration answers when asked whether it may
/// re-issue.
private final class SpyFormat: TokenFormatImplementation, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Bool] = []
    private let native = NativeTokenFormat()

    var answers: [Bool] { lock.withLock { recorded } }

    var defaultPolicy: CookiePolicy { native.defaultPolicy }
    func maxTokenLength(sealer: SessionSealer) -> Int { native.maxTokenLength(sealer: sealer) }
    func lifetime(sealer: SessionSealer) -> TimeInterval { native.lifetime(sealer: sealer) }

    func open(_ token: String, sealer: SessionSealer, at now: Date, mayReissue: (OpenedSession) -> Bool) -> TokenOpening {
        native.open(token, sealer: sealer, at: now) { session in
            let answer = mayReissue(session)
            lock.withLock { recorded.append(answer) }
            return answer
        }
    }

    func seal(subject: String, custom: some Encodable & Sendable, sealer: SessionSealer, at now: Date)
        throws(SessionTokenError) -> (token: String, session: OpenedSession)
    {
        try native.seal(subject: subject, custom: custom, sealer: sealer, at: now)
    }
}

/// Events from the configuration's hook, which may run on any thread.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SessionEvent] = []

    func append(_ event: SessionEvent) { lock.withLock { events.append(event) } }

    var sealedReissues: Int {
        lock.withLock { events.filter { if case .sealed(_, _, true) = $0 { true } else { false } }.count }
    }
}

/// A replacement that cannot be made (here: the new primary's longer key ID makes the token
/// longer than the sealer allows) leaves the request's session open with nothing to set, as
/// before a re-issue decrypted once; `refresh` still reports it as the end of the session.
final class UnmakeableReplacementTests: XCTestCase {
    func testTheSessionStaysOpenWithNothingToSet() throws {
        let now = SingleOpenReissueTests.now
        let key = String(repeating: "A", count: 42) + "E", other = String(repeating: "B", count: 42) + "E"
        let maxLength = 1_024
        func sealer(_ spec: String) throws -> SessionSealer {
            try SessionSealer(keys: KeyRing(spec: spec), maxTokenLength: maxLength)
        }
        let old = try sealer("k1:\(key)")
        let longID = String(repeating: "k", count: 60)
        let rotated = try sealer("\(longID):\(other),k1:\(key)")
        // A token that fits the limit under `k1` by fewer bytes than the longer `kid` adds.
        var pad = 400
        var token = ""
        while true {
            token = try old.seal(subject: "alice", custom: ["pad": String(repeating: "p", count: pad)], at: now).token
            if token.utf8.count > maxLength - 40 { break }
            pad += 1
        }
        XCTAssertLessThanOrEqual(token.utf8.count, maxLength)
        let opened = try rotated.open(token, at: now)
        XCTAssertTrue(opened.needsReissue, "sealed under a key that is no longer primary")
        XCTAssertTokenError(.invalid, try rotated.refresh(token, at: now))

        var asked = 0
        let result = try rotated.open(token, at: now) { _ in
            asked += 1
            return true
        }
        XCTAssertEqual(asked, 1)
        XCTAssertEqual(result.session.subject, "alice")
        XCTAssertNil(result.replacement)

        let provider = try KeyRingProvider(source: .custom { "\(longID):\(other),k1:\(key)" }) { ring throws(SessionTokenError) in
            try SessionSealer(keys: ring, maxTokenLength: maxLength)
        }
        let sessions = SessionConfiguration(keys: provider, clock: { now })
        let request = sessions.open(cookieHeader: "\(sessions.policy.session.name)=\(token)")
        XCTAssertEqual(request.subject, "alice")
        XCTAssertEqual(request.responseSetCookies(), [])
    }
}
