import ArgumentParser
import Foundation
import SessionCookies

/// `session-token cookie parse`: a `Cookie` header from standard input as one JSON object.
struct CookieParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read a Cookie header on standard input and print its cookies as one JSON object.",
        discussion: """
            A repeated name keeps its first value. A header over the size or count limits, or with a
            control character, prints a one-line error and exits 2. A trailing line break is ignored,
            and a leading "Cookie:" is removed.
            """)

    func run() throws {
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
        var object: [String: AnyJSON] = [:]
        for name in cookies.names {
            object[name] = .string(cookies[name] ?? "")
        }
        print(AnyJSON.object(object).jsonText)
    }
}
