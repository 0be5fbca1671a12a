import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// Properties of sealing, opening, the key ring text form, rotation and the JSON reader, each
/// checked over `PROPERTY_ITERATIONS` generated cases (see `Property`).
final class PropertyTests: XCTestCase {
    let roomy = try! SessionSealer(keys: Fixture.ring, maxTokenLength: 65_536)

    // MARK: Generators

    /// A JSON value of bounded depth whose numbers survive any correct encoder exactly.
    static func json(depth: Int, _ r: inout SeededRandom) -> AnyCodableJSON {
        switch Gen.int(0...(depth > 0 ? 6 : 3), &r) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &r))
        case 2: return .number(Double(Gen.int(-1_000_000...1_000_000, &r)) / 8)
        case 3: return .string(Gen.string(maxCount: 12, &r))
        case 4: return .array((0..<Gen.int(0...4, &r)).map { _ in json(depth: depth - 1, &r) })
        default:
            var members: [String: AnyCodableJSON] = [:]
            for _ in 0..<Gen.int(0...4, &r) { members[Gen.string(maxCount: 8, &r)] = json(depth: depth - 1, &r) }
            return .object(members)
        }
    }

    struct SealCase {
        var subject: String
        var custom: [String: AnyCodableJSON]
        var now: Double
        var lifetime: Double
    }

    // MARK: Properties

    func testSealOpenRoundTrip() {
        Property.check(
            "seal/open round trip",
            generate: { r -> SealCase in
                var custom: [String: AnyCodableJSON] = [:]
                for _ in 0..<Gen.int(0...5, &r) {
                    let name = Gen.string(maxCount: 10, &r)
                    if !SessionClaims.registeredNames.contains(name) { custom[name] = Self.json(depth: 3, &r) }
                }
                let long = Gen.int(0...20, &r) == 0
                return SealCase(
                    subject: Gen.string(maxCount: long ? 2_000 : 40, &r), custom: custom,
                    now: Gen.int(0...3, &r) == 0 ? Double(Gen.int(0...9_999_999_999, &r)) : 1_800_000_000 + Double(Gen.int(0...1_000_000, &r)) + 0.5,
                    lifetime: Double(Gen.int(1...315_360_000, &r)))
            },
            shrink: { c in Gen.shrink(c.subject).map { SealCase(subject: $0, custom: c.custom, now: c.now, lifetime: c.lifetime) } },
            property: { c in
                let sealer = try SessionSealer(keys: Fixture.ring, lifetime: c.lifetime, maxTokenLength: 65_536)
                let now = Date(timeIntervalSince1970: c.now)
                let token = try sealer.seal(subject: c.subject, custom: c.custom, at: now).token
                let (session, decoded) = try sealer.open(token, decoding: [String: AnyCodableJSON].self, at: now)
                guard session.subject == c.subject else { throw PropertyFailure("subject changed") }
                // A new session: its lifetime within the absolute limit, which counts from now.
                let lifetime = min(c.lifetime, SessionSealer.defaultAbsoluteLifetime)
                guard session.claims.issuedAt?.timeIntervalSince1970 == c.now.rounded(.down),
                    // The sign-in time, in whole milliseconds.
                    session.claims.authenticatedAt == Date(timeIntervalSince1970: SessionSealer.sessionStart(at: now)),
                    session.expiresAt.timeIntervalSince1970 == c.now.rounded(.down) + lifetime
                else { throw PropertyFailure("times changed") }
                guard session.claims.sessionID?.utf8.count == 22, session.claims.tokenID == nil else {
                    throw PropertyFailure("no new 22-character session ID")
                }
                var custom = decoded
                for name in SessionClaims.registeredNames { custom.removeValue(forKey: name) }
                guard custom == c.custom else { throw PropertyFailure("custom claims changed: \(custom) vs \(c.custom)") }
            })
    }

    enum Mutation: CustomStringConvertible {
        case flip(byte: Int, bit: Int)
        case truncate(Int)
        case extend(String)
        case swap(Int, Int)
        case duplicate(Int)

        var description: String {
            switch self {
            case .flip(let byte, let bit): "flip byte \(byte) bit \(bit)"
            case .truncate(let n): "truncate to \(n)"
            case .extend(let s): "extend by \(s.debugDescription)"
            case .swap(let a, let b): "swap segments \(a) and \(b)"
            case .duplicate(let s): "duplicate segment \(s)"
            }
        }

        func apply(_ token: String) -> String {
            var segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            switch self {
            case .flip(let byte, let bit):
                var bytes = Array(token.utf8)
                bytes[byte % bytes.count] ^= UInt8(1) << (bit % 8)
                return String(decoding: bytes, as: UTF8.self)
            case .truncate(let n): return String(decoding: Array(token.utf8).prefix(n % token.utf8.count), as: UTF8.self)
            case .extend(let s): return token + s
            case .swap(let a, let b):
                segments.swapAt(a % 5, b % 5)
                return segments.joined(separator: ".")
            case .duplicate(let s):
                segments.insert(segments[s % 5], at: s % 5)
                return segments.joined(separator: ".")
            }
        }
    }

    func testEveryMutationOfAValidTokenIsRejected() throws {
        let token = try roomy.seal(subject: "user-42", custom: ["role": "admin"], at: Fixture.now).token
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n")
        Property.check(
            "mutations are rejected",
            generate: { r -> Mutation in
                switch Gen.int(0...4, &r) {
                case 0: return .flip(byte: Gen.int(0...10_000, &r), bit: Gen.int(0...7, &r))
                case 1: return .truncate(Gen.int(0...10_000, &r))
                case 2: return .extend(String((0..<Gen.int(1...8, &r)).map { _ in alphabet[Gen.int(0...(alphabet.count - 1), &r)] }))
                case 3: return .swap(Gen.int(0...4, &r), Gen.int(0...4, &r))
                default: return .duplicate(Gen.int(0...4, &r))
                }
            },
            describe: { "\($0)" },
            property: { mutation in
                let forged = mutation.apply(token)
                guard forged != token else { return }
                do {
                    _ = try roomy.open(forged, at: Fixture.now)
                    throw PropertyFailure("accepted")
                } catch let error as SessionTokenError {
                    guard error == .invalid else { throw PropertyFailure("\(error) instead of invalid") }
                }
            })
    }

    func testArbitraryInputNeverCrashesAndIsInvalid() {
        let pieces = ["eyJhbGciOiJkaXIiLCJlbmMiOiJYQzIwUCIsImtpZCI6ImsxIn0", ".", "..", "A", "_", "-", "=", "%", "é", "\u{0}"]
        Property.check(
            "arbitrary input is invalid",
            generate: { r -> String in
                switch Gen.int(0...2, &r) {
                case 0: return String(decoding: Gen.bytes(maxCount: 300, &r), as: UTF8.self)
                case 1: return Gen.string(maxCount: 300, &r)
                default: return (0..<Gen.int(0...60, &r)).map { _ in pieces[Gen.int(0...(pieces.count - 1), &r)] }.joined()
                }
            },
            shrink: Gen.shrink,
            property: { input in
                do {
                    _ = try Fixture.sealer.open(input, at: Fixture.now)
                    throw PropertyFailure("accepted")
                } catch let error as SessionTokenError {
                    guard error == .invalid else { throw PropertyFailure("\(error) instead of invalid") }
                }
            })
    }

    struct RingCase: CustomStringConvertible {
        var spec: String
        var edit: (position: Int, kind: Int, byte: UInt8)
        var description: String { "spec \(spec.count) chars, edit \(edit)" }
    }

    static func randomRing(_ r: inout SeededRandom) -> KeyRing {
        let idAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
        var keys: [SessionKey] = []
        var seen: Set<String> = []
        for _ in 0..<Gen.int(1...6, &r) {
            let id = String((0..<Gen.int(1...12, &r)).map { _ in idAlphabet[Gen.int(0...(idAlphabet.count - 1), &r)] })
            guard seen.insert(id).inserted else { continue }
            if let key = try? SessionKey(id: id, bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &r) }) {
                keys.append(key)
            }
        }
        var ring = try! KeyRing(primary: keys[0])
        for key in keys.dropFirst() {
            ring = try! ring.adding(key)
            switch Gen.int(0...2, &r) {
            case 0: ring = try! ring.promoting(key.id, at: Date(timeIntervalSince1970: Double(Gen.int(0...2_000_000_000, &r))))
            case 1: ring = try! ring.retiring(key.id, maxTokenAge: 0, force: true)
            default: break
            }
        }
        return ring
    }

    func testKeyRingSpecRoundTripsAndCorruptionIsAConfigurationError() {
        Property.check(
            "key ring spec round trip and corruption",
            generate: { r -> RingCase in
                RingCase(spec: Self.randomRing(&r).exportSpec(),
                         edit: (Gen.int(0...10_000, &r), Gen.int(0...2, &r), UInt8(Gen.int(0x20...0x7E, &r))))
            },
            property: { c in
                let ring = try KeyRing(spec: c.spec)
                guard ring.exportSpec() == c.spec else { throw PropertyFailure("export differs after a round trip") }
                let keyTexts = ring.keys.map { $0.exportBase64URL() }
                var bytes = Array(c.spec.utf8)
                let at = c.edit.position % bytes.count
                switch c.edit.kind {
                case 0: bytes[at] = c.edit.byte
                case 1: bytes.remove(at: at)
                default: bytes.insert(c.edit.byte, at: at)
                }
                let corrupted = String(decoding: bytes, as: UTF8.self)
                do {
                    let parsed = try KeyRing(spec: corrupted)
                    // An edit can still spell a valid spec (another key, another ID); then it is a
                    // ring like any other and exports canonically.
                    guard try KeyRing(spec: parsed.exportSpec()).exportSpec() == parsed.exportSpec() else {
                        throw PropertyFailure("a corrupted but accepted spec does not round-trip")
                    }
                } catch let error as SessionTokenError {
                    guard case .configuration(let message) = error else { throw PropertyFailure("\(error)") }
                    for text in keyTexts where message.contains(text.prefix(12)) {
                        throw PropertyFailure("the error quotes key text: \(message)")
                    }
                }
            })
    }

    enum Operation: CustomStringConvertible {
        case add, promote(Int), retire(Int), remove(Int)
        var description: String {
            switch self {
            case .add: "add"
            case .promote(let i): "promote #\(i)"
            case .retire(let i): "retire #\(i)"
            case .remove(let i): "remove #\(i)"
            }
        }
    }

    func testRotationKeepsOnePrimaryAndOldTokensOpenUntilRetired() throws {
        let original = Fixture.key1
        let token = try Fixture.sealer.seal(subject: "u", at: Fixture.now).token
        Property.check(
            "rotation invariants",
            generate: { r -> [Operation] in
                (0..<Gen.int(0...12, &r)).map { _ in
                    switch Gen.int(0...3, &r) {
                    case 0: .add
                    case 1: .promote(Gen.int(0...20, &r))
                    case 2: .retire(Gen.int(0...20, &r))
                    default: .remove(Gen.int(0...20, &r))
                    }
                }
            },
            shrink: Gen.shrink,
            describe: { "\($0)" },
            property: { operations in
                var ring = try KeyRing(primary: original)
                var counter = 0
                for operation in operations {
                    switch operation {
                    case .add:
                        counter += 1
                        ring = try ring.adding(SessionKey.generate(id: "n\(counter)"))
                    case .promote(let i):
                        if !ring.keys.isEmpty { ring = try ring.promoting(ring.keys[i % ring.keys.count].id, at: Fixture.now) }
                    case .retire(let i):
                        let accepted = ring.keys.dropFirst()
                        if !accepted.isEmpty {
                            ring = try ring.retiring(accepted[accepted.startIndex + i % accepted.count].id, maxTokenAge: 0, force: true)
                        }
                    case .remove(let i):
                        if !ring.retiredKeyIDs.isEmpty { ring = try ring.removing(ring.retiredKeyIDs[i % ring.retiredKeyIDs.count]) }
                    }
                    let states = (ring.keys.map(\.id) + ring.retiredKeyIDs).compactMap { ring.state(of: $0) }
                    guard states.filter({ $0 == .primary }).count == 1 else { throw PropertyFailure("not exactly one primary") }
                    guard Set(ring.keys.map(\.id) + ring.retiredKeyIDs).count == ring.keys.count + ring.retiredKeyIDs.count
                    else { throw PropertyFailure("duplicate IDs") }
                }
                let opens = (try? Fixture.sealer.with(keys: ring).open(token, at: Fixture.now)) != nil
                let held = ring.key(id: original.id) != nil
                guard opens == held else { throw PropertyFailure("opens: \(opens), key still held: \(held)") }
            })
    }

    struct JSONCase {
        var bytes: [UInt8]
        /// False for documents rendered from a generated value: valid RFC 8259 by construction.
        var edited: Bool
    }

    func testJSONReaderAgreesWithJSONSerialization() {
        Property.check(
            "JSON reader vs JSONSerialization",
            generate: { r -> JSONCase in
                var text = Array(Self.render(Self.json(depth: 4, &r), &r).utf8)
                // Half the cases get one random edit, to reach the rejection paths.
                guard Bool.random(using: &r), !text.isEmpty else { return JSONCase(bytes: text, edited: false) }
                let at = Gen.int(0...(text.count - 1), &r)
                let symbols = Array("{}[]\",:0-.eE+ \\tfnu\u{1}".utf8)
                switch Gen.int(0...2, &r) {
                case 0: text[at] = symbols[Gen.int(0...(symbols.count - 1), &r)]
                case 1: text.remove(at: at)
                default: text.insert(symbols[Gen.int(0...(symbols.count - 1), &r)], at: at)
                }
                return JSONCase(bytes: text, edited: true)
            },
            shrink: { c in Gen.shrink(c.bytes).map { JSONCase(bytes: $0, edited: true) } },
            describe: { String(decoding: $0.bytes, as: UTF8.self).debugDescription + ($0.edited ? " (edited)" : "") },
            property: { c in
                let ours = Result { try JSONParser.parse(c.bytes, limits: JSONLimits(maxDepth: 64, maxMembers: 10_000)) }
                let theirs = try? JSONSerialization.jsonObject(with: Data(c.bytes), options: [.fragmentsAllowed])
                switch ours {
                case .success(let value):
                    // Whatever we accept, Foundation accepts too, with the same value.
                    guard let theirs else { throw PropertyFailure("we accept what JSONSerialization rejects") }
                    guard JSONParserTests.same(value, theirs) else { throw PropertyFailure("values differ") }
                case .failure(let error):
                    // A valid document is refused only for a duplicate member name. Edited text
                    // may be refused where Foundation is lenient beyond RFC 8259 (it accepts a
                    // trailing comma, `[null,]`, for one).
                    if !c.edited, (error as? JSONParser.Failure) != .duplicateMember {
                        throw PropertyFailure("we reject (\(error)) a valid document")
                    }
                }
            })
    }

    func testFoundationLeniencyTheReaderRefuses() throws {
        // Found by the property above: JSONSerialization on Linux takes trailing commas.
        for text in ["[null,]", #"{"a":1,}"#] {
            XCTAssertThrowsError(try JSONParser.parse(Array(text.utf8)), text)
        }
    }

    /// JSON text for a value, with random white space between tokens.
    static func render(_ value: AnyCodableJSON, _ r: inout SeededRandom) -> String {
        let ws = [" ", "", "", "\n", "\t", "\r\n"]
        func space(_ r: inout SeededRandom) -> String { ws[Gen.int(0...(ws.count - 1), &r)] }
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() ? String(Int64(n)) : "\(n)"
        case .string(let s):
            let data = try! JSONEncoder().encode(s)
            return String(decoding: data, as: UTF8.self)
        case .array(let items):
            return "[" + items.map { space(&r) + render($0, &r) + space(&r) }.joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { key, value in
                space(&r) + render(.string(key), &r) + space(&r) + ":" + space(&r) + render(value, &r)
            }.joined(separator: ",") + "}"
        }
    }
}
