public import SessionToken
import SessionTokenInternals

/// The signed double-submit cookie of OWASP's CSRF Prevention Cheat Sheet: the default CSRF
/// defence for services that are not next-auth.
///
/// The token is `hmac.random`: `random` is 32 bytes from libsodium's CSPRNG as 64 lowercase
/// hex characters, and `hmac` the lowercase hex HMAC-SHA-256, under a server key, of the message
/// `<length of sessionID>!<sessionID>!<length of random>!<random>` (lengths in UTF-8 bytes, as
/// decimal), which binds the token to the session. The server sets it as the CSRF cookie and
/// embeds the same token in its forms (or a header); a request is verified when the submitted
/// token equals the cookie and its HMAC is right for the request's session, both in constant
/// time. An attacker who can plant a cookie cannot forge one for the victim's session.
///
/// The session ID must stay the same for the whole session: with stateless tokens, use the
/// subject and the first sign-in time (`auth_time`), not `jti`, which changes at every re-issue.
///
/// ```swift
/// let csrf = SignedCSRF(key: try SessionKey.derive(fromSecret: master, purpose: "csrf"))
/// let token = csrf.makeToken(sessionID: "\(userID):\(signInTime)")
/// ```
public struct SignedCSRF: Sendable, CustomStringConvertible {
    private let key: SessionKey
    /// HMAC-SHA-256's state after the key's two pads, made once: every token of this key starts
    /// from a copy of it, so a verification hashes the message's blocks only.
    private let keyed: SecretBytes

    /// A token's length: 64 hex digits of HMAC, `.`, 64 hex digits of random.
    private static let tokenBytes = 129

    /// A CSRF codec with a 32-byte server key (derive one per purpose from a master secret with
    /// `SessionKey.derive(fromSecret:purpose:id:encryption:)`).
    public init(key: SessionKey) {
        self.key = key
        self.keyed = key.secret.withUnsafeBytes { HMACSHA256.precompute(key: $0) }
    }

    /// A fresh token bound to `sessionID`.
    public func makeToken(sessionID: String) -> String {
        var random = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        defer { withUnsafeMutableBytes(of: &random) { SecretMemory.wipe($0) } }
        var sessionID = sessionID
        return withUnsafeMutableBytes(of: &random) { random in
            SecureRandom.fill(random)
            return sessionID.withUTF8 { id in
                String(unsafeUninitializedCapacity: Self.tokenBytes) { token in
                    let token = UnsafeMutableRawBufferPointer(token)
                    SecretMemory.hex(UnsafeRawBufferPointer(random), into: UnsafeMutableRawBufferPointer(rebasing: token[65...]))
                    token[64] = UInt8(ascii: ".")
                    mac(sessionID: UnsafeRawBufferPointer(id), random: UnsafeRawBufferPointer(rebasing: token[65...]),
                        into: UnsafeMutableRawBufferPointer(rebasing: token[0..<64]))
                    return Self.tokenBytes
                }
            }
        }
    }

    /// True when `submitted` equals the cookie and the token's HMAC is right for `sessionID`.
    ///
    /// Both comparisons run in constant time, on the strings' own bytes: nothing is allocated.
    ///
    /// - Parameters:
    ///   - cookieValue: The CSRF cookie's value as sent; nil when the request had none.
    ///   - submitted: The token from the form or header; nil when absent.
    ///   - sessionID: The request's session identifier, as when the token was made.
    public func verify(cookieValue: String?, submitted: String?, sessionID: String) -> Bool {
        guard var cookieValue, var submitted else { return false }
        var sessionID = sessionID
        return cookieValue.withUTF8 { cookie in
            submitted.withUTF8 { submitted in
                sessionID.withUTF8 { id in
                    verify(cookie: UnsafeRawBufferPointer(cookie), submitted: UnsafeRawBufferPointer(submitted),
                           sessionID: UnsafeRawBufferPointer(id))
                }
            }
        }
    }

    /// Never shows the key.
    public var description: String { "SignedCSRF(key: \(key.id.debugDescription))" }

    private func verify(cookie: UnsafeRawBufferPointer, submitted: UnsafeRawBufferPointer, sessionID: UnsafeRawBufferPointer) -> Bool {
        let same = SecretMemory.equal(cookie, submitted)
        // The shape is public (the attacker sent it): checking it may branch.
        guard cookie.count == Self.tokenBytes, cookie[64] == UInt8(ascii: "."),
              CookieSyntax.isLowerHex(UnsafeRawBufferPointer(rebasing: cookie[0..<64])),
              CookieSyntax.isLowerHex(UnsafeRawBufferPointer(rebasing: cookie[65...]))
        else { return false }
        var expected = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        defer { withUnsafeMutableBytes(of: &expected) { SecretMemory.wipe($0) } }
        let valid = withUnsafeMutableBytes(of: &expected) { expected in
            mac(sessionID: sessionID, random: UnsafeRawBufferPointer(rebasing: cookie[65...]), into: expected)
            return SecretMemory.equal(UnsafeRawBufferPointer(rebasing: cookie[0..<64]), UnsafeRawBufferPointer(expected))
        }
        return same && valid
    }

    /// Writes the lowercase hex HMAC (64 bytes) of `<length of sessionID>!<sessionID>!64!<random>`
    /// into `output`. The message is assembled on the stack (a session ID is bounded by the
    /// claims' limits, so it stays small) and the MAC bytes are wiped.
    private func mac(sessionID: UnsafeRawBufferPointer, random: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let length = Self.decimalDigits(sessionID.count) + 1 + sessionID.count + 1 + 2 + 1 + random.count
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { message in
            defer { SecretMemory.wipe(message) }
            var at = Self.writeDecimal(sessionID.count, into: message, at: 0)
            message[at] = UInt8(ascii: "!"); at += 1
            UnsafeMutableRawBufferPointer(rebasing: message[at..<(at + sessionID.count)]).copyMemory(from: sessionID)
            at += sessionID.count
            message[at] = UInt8(ascii: "!"); at += 1
            at = Self.writeDecimal(random.count, into: message, at: at)
            message[at] = UInt8(ascii: "!"); at += 1
            UnsafeMutableRawBufferPointer(rebasing: message[at...]).copyMemory(from: random)
            var tag = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            defer { withUnsafeMutableBytes(of: &tag) { SecretMemory.wipe($0) } }
            withUnsafeMutableBytes(of: &tag) { tag in
                HMACSHA256.authenticate(state: keyed, message: UnsafeRawBufferPointer(message), into: tag)
                SecretMemory.hex(UnsafeRawBufferPointer(tag), into: output)
            }
        }
    }

    private static func decimalDigits(_ value: Int) -> Int {
        var digits = 1, rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        return digits
    }

    private static func writeDecimal(_ value: Int, into buffer: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
        let end = start + decimalDigits(value)
        var rest = value, at = end
        repeat {
            at -= 1
            buffer[at] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        return end
    }
}
