import Foundation
import SessionTokenInternals
import SessionTokenTestSupport
import XCTest

@testable import SessionTokenDeviceBound

/// The proof rules against JWTs made by independent implementations: the forged and valid set
/// of `Tests/Vectors/dbsc/generate_dbsc_jwts.py` (Python's cryptography, jwcrypto and joserfc),
/// each refused for the one rule it breaks, and the proofs Chromium 156 sent on this machine.
final class ProofVectorTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let mode: String
        let challenge: String
        let jwt: String
        let expect: String
        let registered_jwk: JWK?
        let registered_alg: String?
    }

    /// A JWK as the files write it; re-encoded for ``DeviceKey``.
    struct JWK: Decodable {
        let members: [String: String]
        init(from decoder: any Decoder) throws {
            members = try decoder.singleValueContainer().decode([String: String].self)
        }
        var value: JSONValue { .object(members.mapValues { .string($0) }) }
    }

    struct File: Decodable {
        let offered: [String]
        let cases: [Case]
    }

    /// What verifying `vector` comes to: `accept`, or the rejection's name.
    func outcome(_ vector: Case, offered: [DeviceKeyAlgorithm]) throws -> String {
        var registered: (JSONValue, DeviceKeyAlgorithm)?
        if vector.mode == "refresh" {
            let jwk = try XCTUnwrap(vector.registered_jwk, vector.name)
            registered = (jwk.value, try XCTUnwrap(DeviceKeyAlgorithm(rawValue: vector.registered_alg ?? ""), vector.name))
        }
        do throws(ProofRejection) {
            let proof: DeviceProof
            if let (jwk, algorithm) = registered {
                proof = try DeviceProof.refresh(vector.jwt, key: try DeviceKey(jwk: jwk, algorithm: algorithm))
            } else {
                proof = try DeviceProof.registration(vector.jwt, offered: offered)
            }
            // The server's own step: the proof must sign the challenge it issued.
            guard proof.challenge == vector.challenge else { return ProofRejection.challenge.rawValue }
            return "accept"
        } catch {
            return error.rawValue
        }
    }

    func testForgedAndValidProofsFromPythonImplementations() throws {
        let file = try VectorFiles.load("dbsc/forged-jwts.json", as: File.self)
        let offered = file.offered.compactMap(DeviceKeyAlgorithm.init(rawValue:))
        XCTAssertEqual(offered, [.es256, .rs256])
        var counts: [String: Int] = [:]
        for vector in file.cases {
            XCTAssertEqual(try outcome(vector, offered: offered), vector.expect, vector.name)
            counts[vector.expect, default: 0] += 1
        }
        // At least as many failures as successes, and every rule exercised.
        let accepted = counts["accept", default: 0]
        XCTAssertGreaterThanOrEqual(accepted, 8)
        XCTAssertGreaterThanOrEqual(file.cases.count - accepted, accepted)
        for rejection in ProofRejection.allCases {
            XCTAssertGreaterThan(counts[rejection.rawValue, default: 0], 0, "\(rejection) is exercised")
        }
    }

    /// A registration proof verifies only for the algorithms offered: each valid one is
    /// accepted when its algorithm alone is offered and refused when only the other is.
    func testAProofForAnAlgorithmNotOfferedIsRefused() throws {
        let file = try VectorFiles.load("dbsc/forged-jwts.json", as: File.self)
        for vector in file.cases where vector.expect == "accept" && vector.mode == "registration" {
            let outcomes = try [DeviceKeyAlgorithm.es256, .rs256].map { try outcome(vector, offered: [$0]) }.sorted()
            XCTAssertEqual(outcomes, ["accept", "algorithm"], vector.name)
        }
    }

    func testTheLengthLimitIsExplicit() {
        let long = String(repeating: "a", count: DeviceProof.maxLength + 1)
        XCTAssertThrowsError(try DeviceProof.registration(long, offered: [.es256])) {
            XCTAssertEqual($0 as? ProofRejection, .malformed)
        }
    }
}

/// The proofs Chromium 156 sent on this machine (`Tests/Vectors/dbsc/capture_chromium.py`):
/// registrations and refreshes, ES256 and RS256, each verified as sent and refused once altered.
final class ChromiumProofTests: XCTestCase {
    struct Vector: Decodable {
        let name: String
        let kind: String
        let offered: [String]
        let challenge: String
        let jwt: String
        let registered_jwk: ProofVectorTests.JWK?
        let registered_alg: String?
    }

    struct File: Decodable {
        let chromium: String
        let vectors: [Vector]
    }

    func verify(_ jwt: String, _ vector: Vector, offered: [DeviceKeyAlgorithm]? = nil, key: DeviceKey? = nil) -> String {
        do throws(ProofRejection) {
            let proof: DeviceProof
            if vector.kind == "refresh" {
                guard let key = key ?? registeredKey(vector) else { return "no key" }
                proof = try DeviceProof.refresh(jwt, key: key)
            } else {
                proof = try DeviceProof.registration(jwt, offered: offered ?? vector.offered.compactMap(DeviceKeyAlgorithm.init(rawValue:)))
            }
            return proof.challenge == vector.challenge ? "accept" : "challenge"
        } catch {
            return error.rawValue
        }
    }

    func registeredKey(_ vector: Vector) -> DeviceKey? {
        guard let jwk = vector.registered_jwk, let alg = vector.registered_alg.flatMap(DeviceKeyAlgorithm.init(rawValue:))
        else { return nil }
        return try? DeviceKey(jwk: jwk.value, algorithm: alg)
    }

    func testChromiumsProofsVerifyAndAlteredOnesDoNot() throws {
        let file = try VectorFiles.load("dbsc/chromium-156.json", as: File.self)
        XCTAssertTrue(file.chromium.hasPrefix("Chromium 156"))
        let refreshKeys = file.vectors.compactMap(registeredKey)
        var accepted = 0, refused = 0
        var kinds: Set<String> = []
        for vector in file.vectors {
            XCTAssertEqual(verify(vector.jwt, vector), "accept", vector.name)
            accepted += 1
            kinds.insert(vector.kind + "/" + (vector.registered_alg ?? String(decoding: Array(vector.jwt.utf8.prefix(20)), as: UTF8.self)))

            // A signature byte flipped; a trailing dot; the wrong challenge expected.
            var bytes = Array(vector.jwt.utf8)
            let last = bytes.count - 2  // inside the signature, not its final (partial) character
            bytes[last] = bytes[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            XCTAssertEqual(verify(String(decoding: bytes, as: UTF8.self), vector), "signature", vector.name)
            XCTAssertEqual(verify(vector.jwt + ".", vector), "malformed", vector.name)
            let other = Vector(
                name: vector.name, kind: vector.kind, offered: vector.offered, challenge: vector.challenge + "x",
                jwt: vector.jwt, registered_jwk: vector.registered_jwk, registered_alg: vector.registered_alg)
            XCTAssertEqual(verify(vector.jwt, other), "challenge", vector.name)
            refused += 3
            if vector.kind == "refresh" {
                // Verified under another device's key (of the same algorithm): the signature fails.
                let own = registeredKey(vector)
                if let foreign = refreshKeys.first(where: { $0.canonicalJWK != own?.canonicalJWK && $0.algorithm == own?.algorithm }) {
                    XCTAssertEqual(verify(vector.jwt, vector, key: foreign), "signature", vector.name)
                    refused += 1
                }
            } else {
                // Offered only the other algorithm.
                let own = verify(vector.jwt, vector, offered: [.es256]) == "accept" ? DeviceKeyAlgorithm.es256 : .rs256
                XCTAssertEqual(verify(vector.jwt, vector, offered: [own == .es256 ? .rs256 : .es256]), "algorithm", vector.name)
                refused += 1
            }
        }
        XCTAssertGreaterThanOrEqual(accepted, 20)
        XCTAssertGreaterThanOrEqual(refused, accepted)
        XCTAssertTrue(file.vectors.contains { $0.kind == "refresh" && $0.registered_alg == "RS256" })
        XCTAssertTrue(file.vectors.contains { $0.kind == "refresh" && $0.registered_alg == "ES256" })
    }

    /// Property: a Chromium proof with bytes flipped, dropped, inserted or truncated (2,000 cases
    /// from a seed, `PROPERTY_SEED` to replay) is refused with a typed rejection, never accepted,
    /// and never crashes; the unaltered proof still verifies.
    func testAlteredChromiumProofsAreRefused() throws {
        let file = try VectorFiles.load("dbsc/chromium-156.json", as: File.self)
        let seed = ProcessInfo.processInfo.environment["PROPERTY_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededRandom(seed: seed)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= \"{}".utf8)
        for index in 0..<2_000 {
            let vector = file.vectors[Int.random(in: 0..<file.vectors.count, using: &random)]
            var bytes = Array(vector.jwt.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "e")] }
            }
            let altered = String(decoding: bytes, as: UTF8.self)
            let outcome = verify(altered, vector)
            if altered == vector.jwt {
                XCTAssertEqual(outcome, "accept")
            } else if outcome == "accept" {
                // Base64url's last character can carry bits a decoder ignores; this one refuses
                // them, so only an identical proof may verify.
                XCTFail("seed \(seed), case \(index): an altered proof verified: \(altered)")
            }
        }
    }

    /// Chromium sends the proof and the session identifier bare: both read as it sends them,
    /// and as quoted structured strings too.
    func testBareAndStructuredHeaderValues() throws {
        let file = try VectorFiles.load("dbsc/chromium-156.json", as: File.self)
        let jwt = try XCTUnwrap(file.vectors.first?.jwt)
        XCTAssertEqual(DeviceBoundHeaders.value(jwt), jwt)
        XCTAssertEqual(DeviceBoundHeaders.value("\"\(jwt)\""), jwt)
        XCTAssertEqual(DeviceBoundHeaders.value(" \(jwt) "), jwt)
        XCTAssertEqual(DeviceBoundHeaders.value("-_abc09"), "-_abc09", "an identifier that is no structured token")
        XCTAssertEqual(DeviceBoundHeaders.value("7Yx"), "7Yx")
        for bad in ["", " ", "a b", "a;b", "\"unterminated", "a,b", String(repeating: "a", count: DeviceBoundHeaders.maxValueLength + 1)] {
            XCTAssertNil(DeviceBoundHeaders.value(bad), bad)
        }
        XCTAssertNil(DeviceBoundHeaders.value(nil))
        let skipped = try XCTUnwrap(DeviceBoundHeaders.skipped(#"server_error;session_identifier="abc""#))
        XCTAssertEqual(skipped.reason, "server_error")
        XCTAssertEqual(skipped.sessionID, "abc")
        XCTAssertNil(DeviceBoundHeaders.skipped(#""quoted";session_identifier="abc""#))
        XCTAssertEqual(
            DeviceBoundHeaders.registration(algorithms: [.es256, .rs256], path: "/dbsc/register", challenge: "c.1-_"),
            #"(ES256 RS256);path="/dbsc/register";challenge="c.1-_""#)
        XCTAssertEqual(DeviceBoundHeaders.challenge("c.1", sessionID: "s-1"), #""c.1";id="s-1""#)
    }
}
