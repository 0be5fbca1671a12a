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
        var expect: String
        var claims: AnyCodableJSON?
    }

    static func load() throws -> File {
        let url = packageRoot.appendingPathComponent("Tests/Vectors/joserfc-xc20p.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }

    func testVectorsHaveMoreFailuresThanSuccesses() throws {
        let file = try Self.load()
        let valid = file.vectors.filter { $0.expect == "valid" }.count
        XCTAssertGreaterThan(valid, 10)
        XCTAssertGreaterThanOrEqual(file.vectors.count - valid, valid)
        XCTAssertEqual(Set(file.vectors.map(\.expect)), ["valid", "invalid", "expired", "notYetValid"])
    }

    func testEveryVector() throws {
        let file = try Self.load()
        for vector in file.vectors {
            let sealer = try SessionSealer(
                keys: KeyRing(spec: vector.keys), leeway: vector.leeway ?? 0,
                maxTokenLength: vector.maxLength ?? SessionSealer.defaultMaxTokenLength,
                issuer: vector.issuer, audience: vector.audience)
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

/// Any JSON value, compared structurally.
enum AnyCodableJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyCodableJSON])
    case object([String: AnyCodableJSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([AnyCodableJSON].self) { self = .array(v) }
        else { self = .object(try c.decode([String: AnyCodableJSON].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .number(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
