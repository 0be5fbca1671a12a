import Foundation
import XCTest

@testable import SessionToken
import SessionTokenInternals

/// The claims reader's picked members (next-auth's `name`, `email`, `picture`): read in the
/// same pass as the registered claims, each a string or `null`, duplicates refused however
/// they are spelled.
final class ClaimsPickingTests: XCTestCase {
    let names: [StaticString] = ["name", "email", "picture"]

    func read(_ json: String) -> (claims: SessionClaims, picked: [String?])? {
        Array(json.utf8).withUnsafeBytes { try? ClaimsReader.read($0, limits: JSONLimits(), picking: names) }
    }

    func testPicksStringsAndNullsBesideTheRegisteredClaims() throws {
        let result = try XCTUnwrap(read(#"{"name":"Ada","email":null,"sub":"u1","x":[1,{"name":2}],"exp":5,"picture":"p\u00e9"}"#))
        XCTAssertEqual(result.picked, ["Ada", nil, "pé"])
        XCTAssertEqual(result.claims.subject, "u1")
        XCTAssertEqual(result.claims.expiresAt, Date(timeIntervalSince1970: 5))
        // Absent members are nil; a nested `name` is not the top-level one.
        XCTAssertEqual(try XCTUnwrap(read(#"{"exp":1,"x":{"name":"inner"}}"#)).picked, [nil, nil, nil])
    }

    func testRefusesWrongTypesDuplicatesAndLookAlikes() {
        for json in [
            #"{"exp":1,"name":5}"#,  // not a string
            #"{"exp":1,"email":true}"#,
            #"{"exp":1,"name":["a"]}"#,
            #"{"exp":1,"name":nul}"#,  // broken literal
            #"{"exp":1,"name":"a","name":"b"}"#,  // twice
            #"{"exp":1,"name":"a","n\u0061me":"b"}"#,  // twice, once escaped
            #"{"exp":1,"email":null,"email":"b"}"#,
            #"{"name":"a"}"#,  // no `exp`
        ] {
            XCTAssertNil(read(json), json)
        }
        // An escaped name is the same name; a look-alike is another member.
        XCTAssertEqual(read(#"{"exp":1,"n\u0061me":"a"}"#)?.picked, ["a", nil, nil])
        XCTAssertEqual(read(#"{"exp":1,"n\u0061me":"a","na\u0301me":"b"}"#)?.picked, ["a", nil, nil])
        XCTAssertEqual(read(#"{"exp":1,"Name":"a"}"#)?.picked, [nil, nil, nil])
    }
}
