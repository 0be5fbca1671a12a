import Foundation
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// The strict parser against the RFC 8259 grammar and against `JSONSerialization`.
final class JSONParserTests: XCTestCase {
    func parse(_ text: String) -> JSONValue? { try? JSONParser.parse(Array(text.utf8)) }

    func testAcceptsValidDocuments() {
        XCTAssertEqual(parse(#"{"a":[1,-2.5e3,true,false,null,"x"]}"#),
                       .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x")])]))
        XCTAssertEqual(parse(" \t\n{ \"a\" : { } } \r\n"), .object(["a": .object([:])]))
        XCTAssertEqual(parse(#""\u00e9\ud83e\udd8a\n\"\\\/""#), .string("é🦊\n\"\\/"))
        XCTAssertEqual(parse("0"), .number(0))
        XCTAssertEqual(parse("-0.0e+0"), .number(0))
        XCTAssertEqual(parse("12345678901234567890"), .number(12_345_678_901_234_567_890.0))
        XCTAssertEqual(parse("1800000000.5"), .number(1800000000.5))
    }

    func testRejectsInvalidDocuments() {
        for bad in [
            "", " ", "{", "}", "{]", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "'a'", "01", "1.", ".5", "+1", "1e", "-",
            "NaN", "Infinity", "1e999", "tru", "nul", "[1 2]", "{\"a\":1 \"b\":2}", "\"\\x\"", "\"\\u12\"",
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\u{1}\"", "\"\t\"", "1 2", "{}x", "[]]",
            "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}",
        ] {
            XCTAssertNil(parse(bad), bad.debugDescription)
        }
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22]))
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xC3, 0x22]))
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]), "UTF-8 encoded surrogate")
    }

    func testLimits() {
        let limits = JSONLimits(maxDepth: 3, maxMembers: 4)
        XCTAssertNoThrow(try JSONParser.parse(Array("[[[1]]]".utf8), limits: limits))
        XCTAssertThrowsError(try JSONParser.parse(Array("[[[[1]]]]".utf8), limits: limits)) {
            XCTAssertEqual($0 as? JSONParser.Failure, .tooDeep)
        }
        XCTAssertNoThrow(try JSONParser.parse(Array("[1,2,3,4]".utf8), limits: limits))
        XCTAssertThrowsError(try JSONParser.parse(Array("[1,2,3,4,5]".utf8), limits: limits)) {
            XCTAssertEqual($0 as? JSONParser.Failure, .tooManyMembers)
        }
        XCTAssertThrowsError(try JSONParser.parse(Array((String(repeating: "[", count: 100_000)).utf8)))
    }

    func testAgreesWithJSONSerializationOnSamples() throws {
        let samples = [
            #"{"sub":"u","exp":1800000000,"nested":{"a":[1,2,{"b":null}]},"s":"\u00e9"}"#,
            #"[1,2.5,-3e2,"x",true,false,null]"#, #"{"a":{"b":{"c":{}}}}"#, #""plain""#, "42",
            #"{"a":"\ud83d\ude00"}"#, #"{"emoji":"🦊","cjk":"漢字"}"#,
        ]
        for sample in samples {
            let ours = try XCTUnwrap(parse(sample), sample)
            let theirs = try JSONSerialization.jsonObject(with: Data(sample.utf8), options: [.fragmentsAllowed])
            XCTAssertTrue(Self.same(ours, theirs), sample)
        }
    }

    static func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let b): return (theirs as? Bool) == b && !(theirs is Int && !(theirs is Bool))
        case .number(let n): return (theirs as? NSNumber)?.doubleValue == n
        case .string(let s): return (theirs as? String) == s
        case .array(let items):
            guard let other = theirs as? [Any], other.count == items.count else { return false }
            return zip(items, other).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let other = theirs as? [String: Any], other.count == members.count else { return false }
            return members.allSatisfy { key, value in other[key].map { same(value, $0) } ?? false }
        }
    }
}
