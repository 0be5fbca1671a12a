import ArgumentParser
import SessionToken
import SessionTokenInternals

/// `--claims JSON`: one JSON object, read by the library's strict reader (no trailing comma,
/// no member twice, no value after the document), that sets none of the claims the command
/// writes itself. Errors name the problem, never the text.
enum ClaimsOption {
    static func parse(_ text: String, reserved: Set<String>) throws -> JSONValue {
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(Array(text.utf8), limits: JSONLimits(maxDepth: 15, maxMembers: 240))
        } catch {
            switch error {
            case .syntax: throw ValidationError("--claims is not strict JSON (a trailing comma, a stray character, bad quoting?)")
            case .duplicateMember: throw ValidationError("--claims has a member name twice")
            case .tooDeep: throw ValidationError("--claims nests deeper than 15 levels")
            case .tooManyMembers: throw ValidationError("--claims has more than 240 members")
            }
        }
        guard case .object(let members) = value else { throw ValidationError("--claims must be one JSON object") }
        if let name = members.keys.sorted().first(where: reserved.contains) {
            throw ValidationError("--claims must not set \"\(name)\": the command writes it")
        }
        return value
    }
}
