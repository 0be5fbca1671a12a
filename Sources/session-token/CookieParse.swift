import ArgumentParser
import Foundation
import SessionCookies
import SessionToken
import SessionTokenInternals

/// `session-token cookie parse`: a `Cookie` header from standard input as one JSON object.
struct CookieParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read a Cookie header on standard input and print its cookies as one JSON object.",
        discussion: """
            Names appear in header order. A name sent more than once prints as null, as the \
            library reads it: no value is trusted when a second cookie could shadow the first. \
            A header over the size or count limits, or with a control character, prints a \
            one-line error and exits 2. A trailing line break is ignored, and a leading \
            "Cookie:" is removed.
            """)

    func run() throws {
        Console.noteWaiting(for: "a Cookie header", orArgument: false)
        let limit = CookieLimits.default.maxHeaderBytes
        var data = FileHandle.standardInput.readData(ofLength: limit + 16)
        while let last = data.last, last == 0x0A || last == 0x0D { data.removeLast() }
        var header = String(decoding: data, as: UTF8.self)
        if header.lowercased().hasPrefix("cookie:") { header = String(header.dropFirst(7)) }
        let cookies: RequestCookies
        do {
            cookies = try RequestCookies(header: header)
        } catch {
            throw ConfigurationProblem(message: error.description)
        }
        // Written by hand rather than through a dictionary, so the order is the header's and
        // names differing only in Unicode normalization stay two members.
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (position, name) in cookies.names.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            if let value = cookies[name] {
                JSONText.appendString(value, to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
        Console.output(String(decoding: out, as: UTF8.self))
    }
}
