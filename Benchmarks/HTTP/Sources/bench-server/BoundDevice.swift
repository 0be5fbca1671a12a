// The browser's side of a device-bound session's registration, for the hb-bound server: a
// P-256 device key signs the registration challenge, and the bound cookie replaces the bearer one.
import Crypto
import Foundation
import SessionTokenHTTP

enum BoundDevice {
    struct RegistrationFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Registers a fresh device key for the session `session` just signed in, through the
    /// configuration's own registration endpoint; returns the `Cookie:` line of the bound session.
    static func register(_ session: RequestSession, configuration: SessionConfiguration) async throws -> String {
        guard let binding = configuration.deviceBinding,
            let offer = session.responseHeaders().first(where: { $0.name == "Secure-Session-Registration" }),
            let bearerLine = session.responseSetCookies().first
        else { throw RegistrationFailed(description: "no registration offer at sign-in") }
        let bearer = String(bearerLine.prefix { $0 != ";" })
        let proof = try self.proof(challenge: challenge(in: offer.value), key: P256.Signing.PrivateKey())
        guard
            let answer = await binding.respond(
                method: "POST", path: binding.registrationPath[...],
                header: { name in name == "Cookie" ? bearer : (name == "Secure-Session-Response" ? proof : nil) },
                configuration: configuration)
        else { throw RegistrationFailed(description: "the registration path was not served") }
        guard answer.status == 200 else { throw RegistrationFailed(description: "registration answered \(answer.status)") }
        // The bound cookie: every non-empty cookie set but the ticket, which goes to the refresh path only.
        let cookies = answer.headers.filter { $0.name == "Set-Cookie" }.map { String($0.value.prefix { $0 != ";" }) }
            .filter { !$0.hasPrefix("dbsc-ticket=") && !$0.hasSuffix("=") }
        guard !cookies.isEmpty else { throw RegistrationFailed(description: "registration set no bound cookie") }
        return "Cookie: " + cookies.joined(separator: "; ")
    }

    /// The challenge of a `Secure-Session-Registration` field.
    static func challenge(in field: String) -> String {
        guard let range = field.range(of: #"challenge=""#) else { return "" }
        return String(field[range.upperBound...].prefix { $0 != "\"" })
    }

    /// A registration proof: a `dbsc+jwt` carrying the device's public key, signed by it.
    static func proof(challenge: String, key: P256.Signing.PrivateKey) throws -> String {
        let raw = key.publicKey.rawRepresentation
        let jwk = #"{"kty":"EC","crv":"P-256","x":"\#(b64(raw.prefix(32)))","y":"\#(b64(raw.suffix(32)))"}"#
        let header = #"{"alg":"ES256","typ":"dbsc+jwt","jwk":\#(jwk)}"#
        let input = b64(Array(header.utf8)) + "." + b64(Array(#"{"jti":"\#(challenge)"}"#.utf8))
        let signature = try key.signature(for: Array(input.utf8)).rawRepresentation
        return input + "." + b64(signature)
    }

    static func b64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
