import Crypto
import Foundation
import SessionTokenHTTP
import SessionTokenInternals
import _CryptoExtras

/// A browser's side of DBSC in software, for the tests: a device key (P-256 or RSA), its proofs
/// signed with swift-crypto, and a cookie jar that keeps what responses set. Chromium's own
/// proofs are checked separately (`ProofVectorTests`); this one drives the server through
/// whole rounds. Shared by the framework-neutral tests and both frameworks' tests.
public struct SoftwareBrowser {
    public enum Key {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    public var key: Key
    /// Cookie name to value; a `Max-Age=0` line deletes.
    public var jar: [String: String] = [:]
    /// Cookie name to path, for the ticket's scope.
    public var paths: [String: String] = [:]
    /// The challenge the last response pushed (`Secure-Session-Challenge`), as Chromium caches it.
    public var pushedChallenge: String?

    public init(rsa: Bool = false) throws {
        key = rsa ? .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)) : .p256(P256.Signing.PrivateKey())
    }

    public var algorithm: String {
        switch key {
        case .p256: "ES256"
        case .rsa: "RS256"
        }
    }

    public var jwk: String {
        switch key {
        case .p256(let key):
            let raw = key.publicKey.rawRepresentation
            return #"{"kty":"EC","crv":"P-256","x":"\#(Self.b64(raw.prefix(32)))","y":"\#(Self.b64(raw.suffix(32)))"}"#
        case .rsa(let key):
            let (n, e) = Self.rsaComponents(key.publicKey)
            return #"{"kty":"RSA","n":"\#(Self.b64(n))","e":"\#(Self.b64(e))"}"#
        }
    }

    /// A proof for `challenge`: with the key in the header for a registration.
    public func proof(_ challenge: String, registration: Bool, typ: String = "dbsc+jwt", alg: String? = nil) throws -> String {
        let header = registration
            ? #"{"alg":"\#(alg ?? algorithm)","typ":"\#(typ)","jwk":\#(jwk)}"#
            : #"{"alg":"\#(alg ?? algorithm)","typ":"\#(typ)"}"#
        let payload = #"{"jti":"\#(challenge)"}"#
        let input = Self.b64(Array(header.utf8)) + "." + Self.b64(Array(payload.utf8))
        let signature: [UInt8]
        switch key {
        case .p256(let key): signature = Array(try key.signature(for: Array(input.utf8)).rawRepresentation)
        case .rsa(let key):
            signature = Array(try key.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
        return input + "." + Self.b64(signature)
    }

    /// The `Cookie` header for `path`.
    public func cookieHeader(path: String = "/") -> String? {
        let pairs = jar.filter { name, _ in path.hasPrefix(paths[name] ?? "/") }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? nil : pairs.joined(separator: "; ")
    }

    public mutating func store(_ lines: [String]) {
        for line in lines {
            let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if parts.contains("Max-Age=0") || value.isEmpty {
                jar[name] = nil
            } else {
                jar[name] = value
                paths[name] = parts.first { $0.hasPrefix("Path=") }.map { String($0.dropFirst(5)) } ?? "/"
            }
        }
    }

    public mutating func store(_ response: DeviceBindingResponse) {
        store(response.headers.filter { $0.name == "Set-Cookie" }.map(\.value))
        if let field = response.header("Secure-Session-Challenge") { pushedChallenge = challenge(in: field) }
    }

    static func b64(_ bytes: some Sequence<UInt8>) -> String { Base64URL.encode(Array(bytes)) }

    /// n and e of an RSA public key, from its PKCS#1 DER (SEQUENCE { INTEGER n, INTEGER e }).
    static func rsaComponents(_ key: _RSA.Signing.PublicKey) -> ([UInt8], [UInt8]) {
        let der = Array(key.pkcs1DERRepresentation)
        var index = 0
        func length() -> Int {
            let first = Int(der[index]); index += 1
            guard first & 0x80 != 0 else { return first }
            var value = 0
            for _ in 0..<(first & 0x7F) { value = value << 8 | Int(der[index]); index += 1 }
            return value
        }
        func integer() -> [UInt8] {
            index += 1  // INTEGER
            let count = length()
            var bytes = Array(der[index..<(index + count)])
            index += count
            while bytes.count > 1, bytes[0] == 0 { bytes.removeFirst() }
            return bytes
        }
        index += 1  // SEQUENCE
        _ = length()
        return (integer(), integer())
    }
}

extension DeviceBindingResponse {
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var setCookies: [String] { headers.filter { $0.name == "Set-Cookie" }.map(\.value) }
}

/// The challenge in `Secure-Session-Registration: (ES256 RS256);path="…";challenge="…"` or
/// `Secure-Session-Challenge: "…";id="…"`.
public func challenge(in field: String) -> String? {
    if let range = field.range(of: #"challenge=""#) {
        return String(field[range.upperBound...].prefix { $0 != "\"" })
    }
    guard field.hasPrefix("\"") else { return nil }
    return String(field.dropFirst().prefix { $0 != "\"" })
}
