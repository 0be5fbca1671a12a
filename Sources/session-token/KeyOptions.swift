import ArgumentParser
import Foundation
import SessionToken

/// Where the key ring comes from: `--keys SPEC`, `--keys @PATH`, or `SESSION_TOKEN_KEYS`.
struct KeyOptions: ParsableArguments {
    @Option(name: .long, help: "Key ring spec KID:KEY,..., or @PATH to read it from a file. Defaults to $SESSION_TOKEN_KEYS.")
    var keys: String?

    func keyRing() throws -> KeyRing {
        let spec: String
        if let keys, keys.hasPrefix("@") {
            let path = String(keys.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationProblem(message: "cannot read key file \(path)")
            }
            spec = String(decoding: data, as: UTF8.self)
        } else if let keys {
            spec = keys
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["SESSION_TOKEN_KEYS"] {
            spec = fromEnvironment
        } else {
            throw ConfigurationProblem(message: "no keys: pass --keys SPEC or --keys @PATH, or set SESSION_TOKEN_KEYS")
        }
        return try KeyRing(spec: spec)
    }
}

/// Time options shared by the commands that read tokens.
struct ClockOptions: ParsableArguments {
    @Option(name: .long, help: "The current time as Unix seconds (default: the system clock).")
    var now: Double?

    var date: Date { now.map(Date.init(timeIntervalSince1970:)) ?? Date() }
}

/// `30d`, `12h`, `90m`, `45s` or plain seconds.
struct Lifetime: ExpressibleByArgument {
    let seconds: TimeInterval

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var text = Substring(argument)
        var unit = 1.0
        if let last = text.last, let scale = units[last] {
            unit = scale
            text = text.dropLast()
        }
        guard let value = Double(text), value.isFinite, value > 0 else { return nil }
        seconds = value * unit
    }
}

/// `--enc A256GCM|XC20P`: the content encryption a new key is bound to.
struct EncryptionOption: ExpressibleByArgument {
    let encryption: TokenEncryption

    init?(argument: String) {
        guard let encryption = TokenEncryption(name: argument) else { return nil }
        self.encryption = encryption
    }

    init(_ encryption: TokenEncryption) { self.encryption = encryption }

    static var allValueStrings: [String] { TokenEncryption.allCases.map(\.name) }
    var defaultValueDescription: String { encryption.name }
}

extension SessionKey {
    /// This key as one key ring spec entry: `KID:KEY`, or `KID:A256GCM:KEY` for an A256GCM key.
    var specEntry: String {
        encryption == .xchacha20Poly1305 ? "\(id):\(exportBase64URL())" : "\(id):\(encryption.name):\(exportBase64URL())"
    }
}
