import ArgumentParser
import Foundation
import SessionToken

/// Where the key ring comes from: `--keys SPEC`, `--keys @PATH`, or `SESSION_TOKEN_KEYS`, read
/// through the library's one loader (``KeyRingSource``).
struct KeyOptions: ParsableArguments {
    @Option(name: .long, help: "Key ring spec KID:KEY,... or @PATH of a file holding it. Default: $SESSION_TOKEN_KEYS.")
    var keys: String?

    func keyRing() throws -> KeyRing {
        if let keys, keys.hasPrefix("@") {
            return try KeyRingSource.file(String(keys.dropFirst())).load()
        } else if let keys {
            return try KeyRing(spec: keys)
        }
        guard ProcessInfo.processInfo.environment["SESSION_TOKEN_KEYS"] != nil else {
            throw SessionTokenError.configuration(
                "environment variable SESSION_TOKEN_KEYS is not set: set it, or pass --keys SPEC or --keys @PATH")
        }
        return try KeyRingSource.environment("SESSION_TOKEN_KEYS").load()
    }
}

/// Time options shared by the commands that read or write tokens.
struct ClockOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "The current time as Unix seconds. Default: the system clock.")
    var now: String?

    /// The latest time a date can be written as (9999-12-31T23:59:59Z).
    static let latest = 253_402_300_799.0

    func validate() throws {
        guard let now else { return }
        guard let seconds = Double(now), seconds.isFinite, seconds >= 0, seconds <= Self.latest else {
            throw ValidationError("--now must be a Unix time in seconds from 0 to \(Int(Self.latest))")
        }
    }

    var date: Date { now.flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? Date() }
}

/// `30d`, `12h`, `90m`, `45s` or plain seconds, more than 0 and at most 10 years: one rule and
/// one message for every bad value, whatever the reason.
struct Lifetime {
    static let maxSeconds = 315_360_000.0

    let seconds: TimeInterval

    init?(_ text: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text)
        var unit = 1.0
        if let last = number.last, let scale = units[last] {
            unit = scale
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0, value * unit <= Self.maxSeconds else { return nil }
        seconds = value * unit
    }

    /// Checks an option's text with the one message.
    static func validate(_ text: String?, option: String) throws {
        guard let text, Lifetime(text) == nil else { return }
        throw ValidationError("\(option) must be more than 0 and at most 10 years: 30d, 12h, 90m, 45s or seconds")
    }
}

/// A number option's check, with one message form.
enum NumberOption {
    static func validate(_ value: Double, option: String, range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(option) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
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
