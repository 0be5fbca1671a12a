import Foundation
import SessionToken

// Once, at start-up: the keys from the environment (make them with `session-token keygen`).
// A missing or empty variable throws `configuration("environment variable ... is not set")`.
let keys = try KeyRingSource.environment("SESSION_TOKEN_KEYS").load()
let sessions = try SessionSealer(keys: keys)

// At sign-in: seal the user's ID into a token for the session cookie (30 days).
let token = try sessions.seal(subject: "user-42").token

// On every request: open the cookie's token, or treat the request as signed out.
do {
    let session = try sessions.open(token)
    print("signed in as \(session.subject ?? "?") until \(session.expiresAt)")
} catch {
    print("signed out: \(error)")  // invalid, expired or not yet valid
}
