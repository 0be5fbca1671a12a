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
