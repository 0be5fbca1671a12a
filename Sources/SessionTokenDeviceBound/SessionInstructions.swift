import SessionTokenInternals

/// The JSON a registration answers with: the session's identifier, where to refresh, the
/// origin it covers, and the cookie it binds. Written as Chromium 156 requires it:
/// `include_site` always present in `scope`, and the cookie's `attributes` without a lifetime.
struct SessionInstructions {
    let sessionIdentifier: String
    let refreshURL: String
    let origin: String
    let cookieName: String
    let cookieAttributes: String

    var json: [UInt8] {
        let value = JSONValue.object([
            "session_identifier": .string(sessionIdentifier),
            "refresh_url": .string(refreshURL),
            "scope": .object(["origin": .string(origin), "include_site": .bool(false)]),
            "credentials": .array([
                .object(["type": .string("cookie"), "name": .string(cookieName), "attributes": .string(cookieAttributes)])
            ]),
        ])
        var out: [UInt8] = []
        JSONText.append(value, to: &out)
        return out
    }

    /// `{"session_identifier":"…","continue":false}`: the refresh answer that ends the session
    /// in the browser. Chromium 156 reads the identifier first: without it the end is logged as
    /// an error (`InvalidSessionId`) rather than as the server's request.
    static func end(sessionIdentifier: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONText.append(
            .object(["session_identifier": .string(sessionIdentifier), "continue": .bool(false)]), to: &out)
        return out
    }
}
