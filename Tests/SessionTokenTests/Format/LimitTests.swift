import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken

/// Each limit of the table in SessionToken's article "Errors and limits" at its edge: the last accepted value and the first refused.
final class LimitTests: XCTestCase {
    let sealer = Fixture.formatSealer
    let now = Fixture.now

    func testHeaderSegmentLength() throws {
        // A header JSON of 768 bytes is 1024 base64url characters: the longest accepted.
        func header(jsonLength: Int) -> String {
            let base = #"{"alg":"dir","enc":"XC20P","kid":"k1","x":""}"#
            let pad = String(repeating: "p", count: jsonLength - base.utf8.count)
            return #"{"alg":"dir","enc":"XC20P","kid":"k1","x":""# + pad + #""}"#
        }
        let atLimit = Fixture.forge(header: header(jsonLength: 768), claims: Fixture.standardClaims)
        XCTAssertEqual(atLimit.split(separator: ".", omittingEmptySubsequences: false)[0].count, 1024)
        XCTAssertNoThrow(try sealer.open(atLimit, at: now))
        let over = Fixture.forge(header: header(jsonLength: 769), claims: Fixture.standardClaims)
        XCTAssertEqual(over.split(separator: ".", omittingEmptySubsequences: false)[0].count, 1026)
        XCTAssertTokenError(.invalid, try sealer.open(over, at: now))
    }

    func testClaimsDepth() throws {
        // The claims object is depth 1; 15 nested arrays inside it reach the limit of 16.
        func claims(nesting k: Int) -> String {
            #"{"exp":1800090000,"iat":1799990000,"d":"# + String(repeating: "[", count: k) + String(repeating: "]", count: k) + "}"
        }
        XCTAssertNoThrow(try sealer.open(Fixture.forge(header: Fixture.standardHeader, claims: claims(nesting: 15)), at: now))
        XCTAssertTokenError(.invalid, try sealer.open(Fixture.forge(header: Fixture.standardHeader, claims: claims(nesting: 16)), at: now))
    }

    func testClaimsMemberCount() throws {
        // 256 members and elements in the whole document: `exp`, `iat` and 254 more.
        func claims(extra n: Int) -> String {
            #"{"exp":1800090000,"iat":1799990000,"# + (0..<n).map { "\"c\($0)\":0" }.joined(separator: ",") + "}"
        }
        let roomy = try SessionSealer(keys: Fixture.ring, maxTokenLength: 65_536, absoluteLifetime: nil)
        XCTAssertNoThrow(try roomy.open(Fixture.forge(header: Fixture.standardHeader, claims: claims(extra: 254)), at: now))
        XCTAssertTokenError(.invalid, try roomy.open(Fixture.forge(header: Fixture.standardHeader, claims: claims(extra: 255)), at: now))
    }

    func testSealingRespectsTheTokenLength() throws {
        // The longest subject that still fits 4096 bytes seals; one more character does not.
        var low = 0, high = 4096
        while low < high {
            let mid = (low + high + 1) / 2
            if (try? sealer.seal(subject: String(repeating: "u", count: mid), at: now).token) != nil { low = mid } else { high = mid - 1 }
        }
        let longest = try sealer.seal(subject: String(repeating: "u", count: low), at: now).token
        XCTAssertLessThanOrEqual(longest.utf8.count, 4096)
        XCTAssertGreaterThan(longest.utf8.count, 4090)
        XCTAssertNoThrow(try sealer.open(longest, at: now))
        XCTAssertThrowsError(try sealer.seal(subject: String(repeating: "u", count: low + 1), at: now).token)
    }
}
