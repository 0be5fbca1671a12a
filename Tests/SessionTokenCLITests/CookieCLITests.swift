import Foundation
import SessionTokenTestSupport
import XCTest

/// `session-token cookie check-redirect` and `session-token cookie parse`.
final class CookieCLITests: XCTestCase {
    func testCheckRedirect() throws {
        let cases: [([String], String)] = [
            (["/inbox"], "https://good.com/inbox"),
            (["//evil.com"], "https://good.com"),
            (["https://good.com@evil.com"], "https://good.com"),
            (["--allow", "https://docs.good.com", "https://docs.good.com/x"], "https://docs.good.com/x"),
            (["--allow", "https://docs.good.com", "--allow", "http://localhost:3000", "http://localhost:3000/"],
             "http://localhost:3000/"),
            (["javascript:alert(1)"], "https://good.com"),
        ]
        for (arguments, expected) in cases {
            let run = try CLI.run(["cookie", "check-redirect", "--base", "https://good.com"] + arguments)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stdout, expected + "\n", "\(arguments)")
        }
    }

    func testCheckRedirectRefusesABadBase() throws {
        let run = try CLI.run(["cookie", "check-redirect", "--base", "good.com", "/x"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "configuration error: an origin must be http(s)://host[:port]\n")
        XCTAssertEqual(run.stdout, "")
    }

    func testParse() throws {
        let run = try CLI.run(["cookie", "parse"], stdin: "theme=dark; sid=\"abc\"; theme=light; x=%7C\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        // Header order; a repeated name is ambiguous (RFC 6265 §5.4 orders by path, not by trust), so it reads as null.
        XCTAssertEqual(run.stdout, #"{"theme":null,"sid":"abc","x":"%7C"}"# + "\n")
        let kelvin = try CLI.run(["cookie", "parse"], stdin: "\u{212A}SID=attacker; KSID=real\n")
        XCTAssertEqual(kelvin.stdout, "{\"\u{212A}SID\":\"attacker\",\"KSID\":\"real\"}\n", "names as bytes")
        let prefixed = try CLI.run(["cookie", "parse"], stdin: "Cookie: a=1\r\n")
        XCTAssertEqual(prefixed.stdout, #"{"a":"1"}"# + "\n")
        let empty = try CLI.run(["cookie", "parse"], stdin: "")
        XCTAssertEqual(empty.stdout, "{}\n")
    }

    func testParseRefusesWithOneLineAndExit2() throws {
        let cases: [(String, String)] = [
            ("a=1\u{0}b=2", "cookie header contains a control character"),
            ("a=1\r\nb=2", "cookie header contains a control character"),
            ((0..<200).map { "c\($0)=v" }.joined(separator: "; "), "cookie header with more than 180 cookies"),
            ("a=" + String(repeating: "x", count: 40_000), "cookie header over 32768 bytes"),
        ]
        for (input, message) in cases {
            let run = try CLI.run(["cookie", "parse"], stdin: input)
            XCTAssertEqual(run.status, 2, message)
            XCTAssertEqual(run.stderr, message + "\n")
            XCTAssertEqual(run.stdout, "")
        }
    }

    /// Cookie names and values are whatever a client sent: the C1 and bidi controls a header may
    /// carry (the parser itself refuses C0 and DEL) print as JSON escapes.
    func testParseEscapesControlAndBidiCharacters() throws {
        let raw = HostileText.raw(HostileText.nonASCII), escaped = HostileText.escaped(HostileText.nonASCII)
        let run = try CLI.run(["cookie", "parse"], stdin: "n\(raw)=v\(raw); plain=x\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, #"{"n\#(escaped)":"v\#(escaped)","plain":"x"}"# + "\n")
        XCTAssertEqual(HostileText.unsafeScalars(in: run.stdout), [])
        let cookies = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: String])
        XCTAssertEqual(cookies["n" + raw], "v" + raw)
        // ESC and DEL never get as far as printing: the header is refused.
        for control in ["\u{1B}", "\u{7F}"] {
            let refused = try CLI.run(["cookie", "parse"], stdin: "a=1" + control + "[2J")
            XCTAssertEqual(refused.status, 2)
            XCTAssertEqual(refused.stderr, "cookie header contains a control character\n")
        }
    }

    /// The validator already turns any URL with a control or non-ASCII character into the
    /// origin; this keeps it so, whatever the printing does.
    func testCheckRedirectNeverPrintsControlOrBidiCharacters() throws {
        for url in ["/" + HostileText.raw(), "https://good.com/" + HostileText.raw(), "/a\u{202E}b", "/%E2%80%AE"] {
            let run = try CLI.run(["cookie", "check-redirect", "--base", "https://good.com", url])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(HostileText.unsafeScalars(in: run.stdout), [])
        }
        let raw = try CLI.run(["cookie", "check-redirect", "--base", "https://good.com", "/" + HostileText.raw()])
        XCTAssertEqual(raw.stdout, "https://good.com\n")
    }
}
