import ArgumentParser
import Foundation

/// ArgumentParser's one-line usage errors, reworded so that they name what the tool itself
/// knows (its subcommands, its options, an option's valid values) and never repeat a value the
/// user gave: a stray argument is often a token or a key pasted in the wrong place, and shell
/// history and CI logs keep standard error.
///
/// A name the user typed (an unknown subcommand or option) is repeated, with the closest valid
/// name, only when it looks like a word someone mistyped: ``isWord(_:)``. Anything else reads
/// "(value not shown)".
enum UsageMessage {
    static let hidden = "(value not shown)"

    /// The line to print for `message`, ArgumentParser's first line for a parse error of
    /// `arguments` (the command line without the program name) under `root`.
    static func rewrite(_ message: String, fullMessage: String, arguments: [String], root: any ParsableCommand.Type) -> String {
        // A word that is no subcommand explains every later complaint ("unknown option
        // '--keys'" after `opne --keys ...`), so it is reported first.
        if let unknown = unknownSubcommand(in: arguments, root: root) { return unknown }
        if let line = unknownOption(message) { return line }
        if let line = invalidOption(message) { return line }
        if let line = invalidValue(message, fullMessage: fullMessage, arguments: arguments) { return line }
        if let line = unexpectedValueForFlag(message) { return line }
        if message.hasPrefix("Unexpected argument ") { return "Unexpected argument \(hidden)" }
        if let count = message.firstIndex(of: " "), message[count...].hasPrefix(" unexpected arguments: ") {
            return "\(message[..<count]) unexpected arguments (values not shown)"
        }
        return redactingQuotedValues(message)
    }

    /// True for text that reads as a mistyped name rather than a secret: a letter, then up to
    /// 31 ASCII letters and hyphens. A token, a key or a key ring spec almost always has a
    /// digit, an underscore, a dot or a colon, and is longer.
    static func isWord(_ text: some StringProtocol) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }
        guard let first = text.utf8.first, isLetter(first), text.utf8.count <= 32 else { return false }
        return text.utf8.allSatisfy { isLetter($0) || $0 == UInt8(ascii: "-") }
    }

    // MARK: - Subcommands

    /// The first argument where a subcommand belongs that names none. Only commands without
    /// subcommands take options with values here, so every argument before the first
    /// subcommand-less command is a flag or a subcommand name.
    static func unknownSubcommand(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path: [String] = []
        for argument in arguments {
            if argument == "--" || argument == "help" { return nil }
            if argument.hasPrefix("-") && argument.count > 1 { continue }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(argument) }) {
                command = next
                path.append(name(of: next))
                continue
            }
            let valid = subcommands.map { name(of: $0) }
            let parent = path.isEmpty ? "" : " of '\(path.joined(separator: " "))'"
            guard isWord(argument) else {
                return "Unknown subcommand\(parent) \(hidden). The subcommands are \(valid.joined(separator: ", "))."
            }
            if let suggestion = closest(to: argument, among: valid) {
                return "Unknown subcommand '\(argument)'\(parent). Did you mean '\(suggestion)'?"
            }
            return "Unknown subcommand '\(argument)'\(parent). The subcommands are \(valid.joined(separator: ", "))."
        }
        return nil
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [name(of: command)] + command.configuration.aliases
    }

    /// The name a subcommand is called by: its configured name, or the one ArgumentParser
    /// derives from the type's name.
    private static func name(of command: any ParsableCommand.Type) -> String {
        command._commandName
    }

    /// The valid name a mistyped `word` most likely meant: one at most two edits away
    /// (a swapped pair of letters is one), or the only one it begins.
    static func closest(to word: String, among names: [String]) -> String? {
        let typed = Array(word.lowercased())
        let scored = names.map { (name: $0, distance: editDistance(typed, Array($0))) }
        if typed.count >= 3, let best = scored.filter({ $0.distance <= 2 }).min(by: { $0.distance < $1.distance }) {
            return best.name
        }
        let prefixed = names.filter { $0.hasPrefix(word.lowercased()) }
        return typed.count >= 2 && prefixed.count == 1 ? prefixed[0] : nil
    }

    /// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: the optimal
    /// string alignment distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    // MARK: - Options

    /// "Unknown option '--kyes'. Did you mean '--keys'?": kept when the name is a word (the
    /// suggestion is ArgumentParser's, among the command's own options), hidden otherwise.
    static func unknownOption(_ message: String) -> String? {
        let prefix = "Unknown option '"
        guard message.hasPrefix(prefix) else { return nil }
        let rest = message.dropFirst(prefix.count)
        let name: Substring
        var suggestion = ""
        if let mark = rest.range(of: "'. Did you mean '") {
            name = rest[..<mark.lowerBound]
            suggestion = ". Did you mean '" + rest[mark.upperBound...]
        } else if rest.hasSuffix("'") {
            name = rest.dropLast()
        } else {
            return "Unknown option \(hidden)"
        }
        guard isOptionWord(name) else { return "Unknown option \(hidden)" }
        return "Unknown option '\(name)'" + suggestion
    }

    /// "Invalid option: ---x", written by ArgumentParser without quotes for three dashes or
    /// more, or a name before `=` that is empty.
    static func invalidOption(_ message: String) -> String? {
        let prefix = "Invalid option: "
        guard message.hasPrefix(prefix) else { return nil }
        let name = message.dropFirst(prefix.count)
        return isOptionWord(name) ? message : "Invalid option \(hidden)"
    }

    private static func isOptionWord(_ name: Substring) -> Bool {
        let bare = name.drop { $0 == "-" }
        return name.count - bare.count <= 2 && isWord(bare)
    }

    /// "The value 'x' is invalid for '--enc <enc>'. Please provide one of 'XC20P' and
    /// 'A256GCM'.": the value is hidden, the option and its valid values (ArgumentParser's list,
    /// or else the option's help, which says its range) stay. The value is found by comparing
    /// with the arguments themselves, so a quote inside it cannot shift what is hidden.
    static func invalidValue(_ message: String, fullMessage: String, arguments: [String]) -> String? {
        let prefix = "The value '"
        guard message.hasPrefix(prefix) else { return nil }
        let candidates = arguments.flatMap { argument -> [String] in
            guard let equals = argument.firstIndex(of: "=") else { return [argument] }
            return [argument, String(argument[argument.index(after: equals)...])]
        }
        let rest = message.dropFirst(prefix.count)
        let marker = "' is invalid for '"
        guard let value = candidates.filter({ rest.hasPrefix($0 + marker) }).max(by: { $0.count < $1.count }) else {
            return "Invalid value \(hidden)"
        }
        let afterValue = rest.dropFirst(value.count + marker.count)
        guard let close = afterValue.firstIndex(of: "'") else { return "Invalid value \(hidden)" }
        let option = afterValue[..<close]
        let tail = afterValue[afterValue.index(after: close)...]
        var line = "The value \(hidden) is invalid for '\(option)'"
        if tail.hasPrefix(". Please provide one of ") {
            line += tail
        } else if let help = helpLine(in: fullMessage, for: option) {
            line += ". Expected: \(help)"
        } else {
            line += "."
        }
        return line
    }

    /// The option's help as ArgumentParser's full message gives it: "Help:  --leeway <leeway>  Seconds ...".
    private static func helpLine(in fullMessage: String, for option: Substring) -> String? {
        let prefix = "Help:  \(option)  "
        guard let line = fullMessage.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        let help = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return help.isEmpty ? nil : help
    }

    /// "The option '--force' does not take any value, but 'x' was specified."
    static func unexpectedValueForFlag(_ message: String) -> String? {
        let prefix = "The option '"
        let marker = "' does not take any value"
        guard message.hasPrefix(prefix), let end = message.range(of: marker) else { return nil }
        let option = message[message.index(message.startIndex, offsetBy: prefix.count)..<end.lowerBound]
        guard isOptionWord(option) else { return "An option was given a value it does not take \(hidden)" }
        return "The option '\(option)' does not take a value \(hidden)"
    }

    // MARK: - Anything else

    /// ArgumentParser quotes what it could not place; what is quoted is shown only when it is
    /// the tool's own words: an option name (`'--keys'`) or a placeholder (`'<token>'`).
    static func redactingQuotedValues(_ message: String) -> String {
        var result = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "'") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "'") else {
                result += rest[open...]
                return result
            }
            let quoted = rest[afterOpen..<close]
            if quoted.hasPrefix("-") || quoted.hasPrefix("<") {
                result += rest[open...close]
            } else {
                result += hidden
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
