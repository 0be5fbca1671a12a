import SessionCookies
import SessionTokenTestSupport
import XCTest

/// Callback-URL validation: a path or an allowed origin's URL comes back absolute, anything
/// else becomes the origin.
final class CallbackURLValidatorTests: XCTestCase {
    let origin = "https://good.com"

    /// Open-redirect bypass payloads, each of which must yield the origin. Sources:
    /// - PayloadsAllTheThings, "Open Redirect" (README bypass list and
    ///   `Intruder/Open-Redirect-payloads.txt`), rewritten for the target `good.com`;
    /// - OWASP "Unvalidated Redirects and Forwards Cheat Sheet" and OWASP WSTG-CLNT-04
    ///   ("Testing for Client-side URL Redirect");
    /// - the cases the issue names (tabs/CR/LF, encoded slashes, ports, trailing dots, IDN).
    static let bypasses: [(payload: String, note: String)] = [
        ("//evil.com", "PATT: scheme-relative"),
        ("//evil.com/", "PATT"),
        ("///evil.com", "PATT: triple slash"),
        ("////evil.com", "PATT"),
        ("///evil.com/%2f..", "PATT Intruder: encoded slash after host"),
        ("//evil.com/%2f%2e%2e", "PATT Intruder"),
        ("/\\evil.com", "PATT: slash backslash"),
        ("/\\/evil.com/", "PATT 6"),
        ("\\/\\/evil.com/", "PATT 6"),
        ("\\\\evil.com", "PATT 5: double backslash"),
        ("//\\evil.com", "PATT"),
        ("https:evil.com", "PATT 4: no slashes"),
        ("http:evil.com", "PATT 4"),
        ("https:/evil.com", "one slash"),
        ("https:\\\\evil.com", "backslashes after scheme"),
        ("http:/\\/\\evil.com", "PATT Intruder"),
        ("https://evil.com", "plain off-site"),
        ("http://evil.com/", "plain off-site, http"),
        ("evil.com", "PATT 1: bare host"),
        ("good.com.evil.com", "PATT 2, bare"),
        ("https://good.com.evil.com", "PATT 2: allowed domain as subdomain"),
        ("https://evilgood.com/", "suffix match"),
        ("https://good.com@evil.com", "PATT 10: userinfo"),
        ("https://good.com:443@evil.com/", "userinfo with port"),
        ("//good.com@evil.com", "PATT"),
        ("good.com@evil.com", "PATT 10, bare"),
        ("https://good.com%40evil.com", "PATT 10: encoded @"),
        ("https://good.com%2F@evil.com", "encoded slash in authority"),
        ("https://good.com%23evil.com", "PATT 13: encoded #"),
        ("https://evil.com#@good.com", "fragment after off-site host"),
        ("https://evil.com?@good.com", "query after off-site host"),
        ("https://evil.com\\.good.com", "backslash host confusion"),
        ("https://good.com\\@evil.com", "backslash before @"),
        ("good.com?evil.com", "PATT 12, bare"),
        ("https://evil.c℀.example.com", "PATT 14: Unicode normalisation"),
        ("http://ⓔⓥⓘⓛ.ⓒⓞⓜ", "PATT 15: enclosed alphanumerics"),
        ("https://gооd.com/", "IDN look-alike: Cyrillic о"),
        ("https://xn--gd-ifoa.com/", "IDN look-alike in punycode"),
        ("https://good。com/", "ideographic full stop"),
        ("//evil%E3%80%82com", "PATT 7: encoded ideographic full stop"),
        ("〱evil.com", "PATT Intruder: vertical kana repeat mark"),
        ("/°evil.com", "PATT 16"),
        ("//evil%00.com", "PATT 8: null byte"),
        ("/%0d/evil.com", "PATT 17: encoded CR"),
        ("/%0a/evil.com", "PATT 17: encoded LF"),
        ("/%09/evil.com", "PATT Intruder: encoded tab"),
        ("/\t/evil.com", "tab in the path"),
        ("/\n/evil.com", "LF"),
        ("/\r\n/evil.com", "CRLF"),
        ("https://good.com/\r\nLocation: https://evil.com", "header injection"),
        ("ht\ttps://evil.com", "tab in the scheme"),
        ("/%2F/evil.com", "encoded slash"),
        ("/%2f%2fevil.com", "encoded slashes, lower case"),
        ("%2F%2Fevil.com", "encoded scheme-relative"),
        ("/%5Cevil.com", "PATT Intruder: encoded backslash"),
        ("/%5c%5cevil.com", "encoded backslashes"),
        ("/%252F%252Fevil.com", "double encoding"),
        ("/%", "malformed escape"),
        ("/%zz", "malformed escape"),
        ("javascript:alert(1)", "OWASP: javascript scheme"),
        ("JaVaScRiPt:alert(1)", "mixed-case javascript"),
        ("java\tscript:alert(1)", "tab inside javascript"),
        ("javascript://good.com/%0aalert(1)", "javascript with a comment"),
        ("javascript://%0aalert(1)", "PATT Intruder"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "OWASP: data scheme"),
        ("vbscript:msgbox(1)", "vbscript scheme"),
        ("ftp://good.com/", "other scheme, own host"),
        ("http://good.com/", "scheme downgrade"),
        ("https://good.com:8443/", "other port"),
        ("https://good.com:0443/", "port with a leading zero"),
        ("https://good.com:/x", "empty port"),
        ("https://good.com:99999/", "port out of range"),
        ("https://good.com./", "trailing dot"),
        ("https://GOOD.COM./x", "mixed case and trailing dot"),
        ("https://good.com../", "two trailing dots"),
        ("https://.good.com/", "leading dot"),
        ("https://[::ffff:7f00:1]/", "IPv6 literal"),
        ("https://0x7f.0x0.0x0.0x1/", "hexadecimal IPv4"),
        ("https://user:pass@good.com/", "userinfo on the own host"),
        ("https://good.com//evil.com", "path starting with // on the own host"),
        (" https://evil.com", "leading space"),
        (" /inbox", "leading space before a path"),
        ("https://evil.com ", "trailing space"),
        ("?next=https://evil.com", "query only"),
        ("#https://evil.com", "fragment only"),
        ("", "empty"),
        ("/" + String(repeating: "a", count: 2048), "over 2048 bytes"),
    ]

    /// Callback URLs that must be kept, with what they become.
    static let valid: [(url: String, expected: String)] = [
        ("/", "https://good.com/"),
        ("/inbox", "https://good.com/inbox"),
        ("/inbox?tab=1&x=%20y#top", "https://good.com/inbox?tab=1&x=%20y#top"),
        ("/caf%C3%A9", "https://good.com/caf%C3%A9"),
        ("/a/b/../c", "https://good.com/a/b/../c"),
        ("/https:/evil.com/", "https://good.com/https:/evil.com/"),
        ("/.evil.com", "https://good.com/.evil.com"),
        ("/redirect?url=//evil.com", "https://good.com/redirect?url=//evil.com"),
        ("https://good.com", "https://good.com"),
        ("https://good.com/", "https://good.com/"),
        ("https://good.com/x?y=z#w", "https://good.com/x?y=z#w"),
        ("https://good.com?evil.com", "https://good.com?evil.com"),
        ("https://good.com#frag", "https://good.com#frag"),
        ("HTTPS://Good.COM/Path", "https://good.com/Path"),
        ("https://good.com:443/p", "https://good.com/p"),
        ("https://docs.good.com/guide", "https://docs.good.com/guide"),
        ("https://DOCS.good.com:443", "https://docs.good.com"),
        ("http://localhost:3000/dev", "http://localhost:3000/dev"),
    ]

    func validator() throws -> CallbackURLValidator {
        try CallbackURLValidator(origin: origin, allowedOrigins: ["https://docs.good.com/", "http://localhost:3000"])
    }

    func testBypassPayloadsYieldTheOrigin() throws {
        XCTAssertGreaterThanOrEqual(Self.bypasses.count, 40)
        let validator = try validator()
        for (payload, note) in Self.bypasses {
            XCTAssertEqual(validator.validate(payload), origin, "\(note): \(payload.debugDescription)")
            XCTAssertFalse(validator.isAllowed(payload), "\(note): \(payload.debugDescription)")
        }
    }

    func testValidURLsComeBackAbsolute() throws {
        let validator = try validator()
        for (url, expected) in Self.valid {
            XCTAssertEqual(validator.validate(url), expected, url)
            XCTAssertTrue(validator.isAllowed(url), url)
        }
    }

    /// Whatever comes in, what comes out starts with the origin or an allowed origin followed by
    /// the end, `/`, `?` or `#` (never an off-site host).
    func testRandomInputsNeverLeaveTheAllowedOrigins() throws {
        let validator = try validator()
        var random = SeededRandom(seed: 601)
        let pieces = ["/", "\\", ":", "@", ".", "%2F", "%5C", "%", "https", "http", "//", "good.com", "evil.com",
                      "docs.", "?", "#", ":443", ":3000", "\t", " ", "ö", "localhost", "[", "]", "javascript:"]
        let origins = [origin, "https://docs.good.com", "http://localhost:3000"]
        for _ in 0..<5000 {
            let url = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                .joined()
            let result = validator.validate(url)
            XCTAssertTrue(origins.contains { origin in
                result == origin || ["/", "?", "#"].contains { result.hasPrefix(origin + $0) }
            }, "\(url.debugDescription) -> \(result)")
            XCTAssertFalse(result.dropFirst(8).hasPrefix("/"), "\(url.debugDescription) -> \(result)")
        }
    }

    func testOriginsAreNormalised() throws {
        let validator = try CallbackURLValidator(origin: "HTTPS://App.Example.com:443/", allowedOrigins: ["http://a.example:80"])
        XCTAssertEqual(validator.origin, "https://app.example.com")
        XCTAssertEqual(validator.allowedOrigins, ["http://a.example"])
        XCTAssertEqual(validator.validate("//evil.com"), "https://app.example.com")
    }

    func testBadOriginsAreConfigurationErrors() {
        for bad in ["", "good.com", "https://good.com/path", "https://good.com?x", "ftp://good.com", "https://u@good.com",
                    "https://good.com.", "//good.com", "https://", "https://good.com:0"] {
            XCTAssertCookieError(.configuration("an origin must be http(s)://host[:port]"),
                                 try CallbackURLValidator(origin: bad), bad)
        }
        XCTAssertCookieError(.configuration("an origin must be http(s)://host[:port]"),
                             try CallbackURLValidator(origin: origin, allowedOrigins: ["*"]))
    }
}
