package import struct Foundation.Date

/// Dates as text, computed from the Unix time with no locale or formatter involved:
/// IMF-fixdate (RFC 9110 §5.6.7) for cookies' `Expires`, and ISO 8601 with the Unix value for
/// messages an operator reads. Years outside 1601...9999 are clamped (RFC 6265 §5.1.1 treats
/// years before 1601 as invalid).
///
/// The cookie writers, the key ring's messages and the command-line tool all use it; it lives in
/// the core, the one module they all depend on, at package level only.
package enum TimeText {
    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    package static func imfFixdate(_ date: Date) -> String {
        let c = Civil(date)
        // Every re-issue writes one: its 29 bytes in place (`Civil` keeps the year within four
        // digits, 1601 to 9999).
        let weekday = Int(((c.days % 7) + 7) % 7), month = Int(c.month - 1)
        return String(unsafeUninitializedCapacity: 29) { out in
            // 1970-01-01 was a Thursday.
            let days: StaticString = "ThuFriSatSunMonTueWed", months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
            func put(_ text: StaticString, _ index: Int, at offset: Int) {
                for k in 0..<3 { out[offset + k] = text.utf8Start[3 * index + k] }
            }
            func digits(_ value: Int64, _ count: Int, at offset: Int) {
                var rest = value
                for k in stride(from: count - 1, through: 0, by: -1) {
                    out[offset + k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(days, weekday, at: 0)
            out[3] = UInt8(ascii: ","); out[4] = UInt8(ascii: " ")
            digits(c.day, 2, at: 5)
            out[7] = UInt8(ascii: " ")
            put(months, month, at: 8)
            out[11] = UInt8(ascii: " ")
            digits(c.year, 4, at: 12)
            out[16] = UInt8(ascii: " ")
            digits(c.seconds / 3600, 2, at: 17)
            out[19] = UInt8(ascii: ":")
            digits(c.seconds / 60 % 60, 2, at: 20)
            out[22] = UInt8(ascii: ":")
            digits(c.seconds % 60, 2, at: 23)
            for (k, byte) in " GMT".utf8.enumerated() { out[25 + k] = byte }
            return 29
        }
    }

    /// `1994-11-06T08:49:37Z`.
    package static func iso8601(_ date: Date) -> String {
        let c = Civil(date)
        return "\(four(c.year))-\(two(c.month))-\(two(c.day))T"
            + "\(two(c.seconds / 3600)):\(two(c.seconds / 60 % 60)):\(two(c.seconds % 60))Z"
    }

    /// `1994-11-06T08:49:37Z (unix 784111777)`: for messages, so that neither form has to be
    /// converted by hand.
    package static func describe(_ date: Date) -> String {
        "\(iso8601(date)) (unix \(Civil(date).unix))"
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func four(_ n: Int64) -> String {
        String(repeating: "0", count: Swift.max(0, 4 - String(n).count)) + String(n)
    }

    /// The civil date of a time, by Howard Hinnant's `civil_from_days`.
    private struct Civil {
        let unix: Int64
        let days: Int64
        let seconds: Int64
        let year: Int64
        let month: Int64
        let day: Int64

        init(_ date: Date) {
            let t = date.timeIntervalSince1970
            let clamped = t.isNaN ? 0 : Swift.min(Swift.max(t.rounded(.down), -11_644_473_600), 253_402_300_799)
            unix = Int64(clamped)
            var days = unix / 86_400
            var rest = unix % 86_400
            if rest < 0 { rest += 86_400; days -= 1 }
            self.days = days
            seconds = rest
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            day = doy - (153 * mp + 2) / 5 + 1
            month = mp < 10 ? mp + 3 : mp - 9
            year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        }
    }
}
