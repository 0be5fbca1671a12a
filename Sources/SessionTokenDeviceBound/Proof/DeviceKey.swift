import Crypto
package import SessionTokenInternals
import _CryptoExtras

/// A device's public key, from the `jwk` of its registration proof: checked on the way in, and
/// written back in one canonical form (RFC 7638's members, in order) for its ticket.
///
/// The checks are those of RFC 7518 §6 with nothing left to the verifier's defaults: EC keys
/// are P-256 points given as exactly 32-byte coordinates and on the curve (swift-crypto refuses
/// any other point); RSA moduli are 2048 to 8192 bits and exponents odd, at least 3 and at most
/// 32 bits, both in their minimal big-endian form. A JWK carrying a private member is refused:
/// a browser that leaked its private key has no key to bind to.
package struct DeviceKey: Sendable {
    enum Material: Sendable {
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    package let algorithm: DeviceKeyAlgorithm
    let material: Material
    /// The RFC 7638 members in lexicographic order without white space: the ticket's copy of
    /// the key.
    package let canonicalJWK: [UInt8]

    static let minimumRSABits = 2048
    static let maximumRSABits = 8192

    /// The key `jwk` describes, for `algorithm`.
    package init(jwk: JSONValue, algorithm: DeviceKeyAlgorithm) throws(ProofRejection) {
        guard case .object(let members) = jwk, case .string(let kty)? = members["kty"] else { throw .key }
        // Private members of either key type, and the symmetric key member.
        for name in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] where members[name] != nil { throw .key }
        self.algorithm = algorithm
        switch algorithm {
        case .es256:
            guard kty == "EC", case .string("P-256")? = members["crv"],
                case .string(let xText)? = members["x"], case .string(let yText)? = members["y"],
                let x = Self.decode(xText), let y = Self.decode(yText), x.count == 32, y.count == 32
            else { throw .key }
            do {
                material = .p256(try P256.Signing.PublicKey(x963Representation: [0x04] + x + y))
            } catch {
                throw .key  // not on the curve
            }
            canonicalJWK = Array(#"{"crv":"P-256","kty":"EC","x":"\#(xText)","y":"\#(yText)"}"#.utf8)
        case .rs256:
            guard kty == "RSA", case .string(let nText)? = members["n"], case .string(let eText)? = members["e"],
                let n = Self.decode(nText), let e = Self.decode(eText),
                let first = n.first, first != 0, (1...4).contains(e.count), e[0] != 0,
                (Self.minimumRSABits...Self.maximumRSABits).contains(Self.bitLength(n)),
                let last = e.last, last & 1 == 1, e.count > 1 || last >= 3
            else { throw .key }
            do {
                material = .rsa(try _RSA.Signing.PublicKey(n: n, e: e))
            } catch {
                throw .key
            }
            canonicalJWK = Array(#"{"e":"\#(eText)","kty":"RSA","n":"\#(nText)"}"#.utf8)
        }
    }

    /// Verifies `signature` over `signingInput` (the JWS's first two segments and their dot).
    func isValidSignature(_ signature: [UInt8], for signingInput: UnsafeRawBufferPointer) -> Bool {
        switch material {
        case .p256(let key):
            // Raw r || s only: a DER signature is 70 to 72 bytes and never reaches the parser.
            guard signature.count == 64,
                let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        case .rsa(let key):
            guard signature.count == (key.keySizeInBits + 7) / 8 else { return false }
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput,
                padding: .insecurePKCS1v1_5)
        }
    }

    /// Canonical base64url (no padding, no stray bits), else nil.
    static func decode(_ text: String) -> [UInt8]? { Base64URL.decoded(Array(text.utf8)[...]) }

    static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let first = bytes.first else { return 0 }
        return (bytes.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }
}
