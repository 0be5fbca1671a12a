import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// Tokens made by an independent implementation (joserfc + pycryptodome; see
/// `Tests/Vectors/generate_xc20p.py`), each with the outcome the format requires.
final class VectorTests: XCTestCase {
    struct File: Decodable {
        var implementation: String
        var vectors: [Vector]
    }

    struct Vector: Decodable {
        var name: String
        var keys: String
        var token: String
        var now: Double
        var leeway: Double?
        var maxLength: Int?
        var issuer: String?
        var audience: String?
        /// The sealer's absolute session limit; absent: the library default.
        var absoluteLifetime: AbsoluteLifetime?
        var expect: String
        var claims: AnyCodableJSON?
    }

    /// A vector's `"absoluteLifetime"`: a number of seconds, or `"none"` for no limit.
    enum AbsoluteLifetime: Decodable, Equatable {
        case seconds(Double)
        case unlimited

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let seconds = try? c.decode(Double.self) {
                self = .seconds(seconds)
            } else if try c.decode(String.self) == "none" {
                self = .unlimited
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "absoluteLifetime is seconds or \"none\"")
            }
        }

        var timeInterval: TimeInterval? {
            switch self {
            case .seconds(let s): s
            case .unlimited: nil
            }
        }
    }

    static func load() throws -> File {
        try VectorFiles.load("joserfc-xc20p.json", as: File.self)
    }

    func testVectorsHaveMoreFailuresThanSuccesses() throws {
        let file = try Self.load()
        let valid = file.vectors.filter { $0.expect == "valid" }.count
        XCTAssertGreaterThan(valid, 10)
        XCTAssertGreaterThanOrEqual(file.vectors.count - valid, valid)
        XCTAssertEqual(Set(file.vectors.map(\.expect)), ["valid", "invalid", "expired", "notYetValid"])
        // The absolute limit is exercised under the default, a given number and no limit.
        XCTAssertTrue(file.vectors.contains { $0.absoluteLifetime == nil && $0.expect == "expired" })
        XCTAssertTrue(file.vectors.contains { $0.absoluteLifetime == .unlimited && $0.expect == "valid" })
        XCTAssertTrue(file.vectors.contains { if case .seconds = $0.absoluteLifetime { true } else { false } })
    }

    func testEveryVector() throws {
        let file = try Self.load()
        for vector in file.vectors {
            let keys = try KeyRing(spec: vector.keys)
            let maxLength = vector.maxLength ?? SessionSealer.defaultMaxTokenLength
            let sealer =
                if let absoluteLifetime = vector.absoluteLifetime {
                    try SessionSealer(
                        keys: keys, leeway: vector.leeway ?? 0, maxTokenLength: maxLength,
                        issuer: vector.issuer, audience: vector.audience,
                        absoluteLifetime: absoluteLifetime.timeInterval)
                } else {
                    try SessionSealer(
                        keys: keys, leeway: vector.leeway ?? 0, maxTokenLength: maxLength,
                        issuer: vector.issuer, audience: vector.audience)
                }
            XCTAssertEqual(sealer.purpose, .session, vector.name)
            let now = Date(timeIntervalSince1970: vector.now)
            switch vector.expect {
            case "valid":
                do {
                    let (session, claims) = try sealer.open(vector.token, decoding: AnyCodableJSON.self, at: now)
                    XCTAssertEqual(claims, vector.claims, vector.name)
                    guard case .object(let expected)? = vector.claims else { XCTFail(vector.name); continue }
                    XCTAssertEqual(session.subject, expected["sub"].flatMap { if case .string(let s) = $0 { s } else { nil } }, vector.name)
                    if case .number(let exp)? = expected["exp"] {
                        XCTAssertEqual(session.expiresAt.timeIntervalSince1970, exp, vector.name)
                    } else {
                        XCTFail("valid vector \(vector.name) has no numeric exp")
                    }
                    XCTAssertEqual(session.claims.sessionID, expected["sid"].flatMap { if case .string(let s) = $0 { s } else { nil } }, vector.name)
                    XCTAssertEqual(session.claims.tokenID, expected["jti"].flatMap { if case .string(let s) = $0 { s } else { nil } }, vector.name)
                    XCTAssertEqual(
                        session.claims.authenticatedAt?.timeIntervalSince1970,
                        expected["auth_time"].flatMap { if case .number(let n) = $0 { n } else { nil } }, vector.name)
                } catch {
                    XCTFail("\(vector.name): expected valid, got \(error)")
                }
            case "invalid":
                XCTAssertTokenError(.invalid, try sealer.open(vector.token, at: now), vector.name)
            case "expired":
                XCTAssertTokenError(.expired, try sealer.open(vector.token, at: now), vector.name)
            case "notYetValid":
                XCTAssertTokenError(.notYetValid, try sealer.open(vector.token, at: now), vector.name)
            default:
                XCTFail("unknown expect \(vector.expect) in \(vector.name)")
            }
        }
    }
}
