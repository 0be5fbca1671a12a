import struct Foundation.Date

/// IMF-fixdate (RFC 9110 §5.6.7) for `Expires`, computed from the Unix time with no locale or
/// formatter involved: `Sun, 06 Nov 1994 08:49:37 GMT`. Years outside 1601...9999 are clamped
/// (RFC 6265 §5.1.1 treats years before 1601 as invalid).
///
/// Both cookie writers (SessionCookies and SessionTokenNextAuth) use it; it lives in the core,
/// the one module both depend on, at package level only.
package enum IMFFixdate {
    package static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let clamped = t.isNaN ? 0 : Swift.min(Swift.max(t.rounded(.down), -11_644_473_600), 253_402_300_799)
        let seconds = Int64(clamped)
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year4 = String(repeating: "0", count: Swift.max(0, 4 - String(year).count)) + String(year)
        return "\(weekday), \(two(day)) \(months[Int(month - 1)]) \(year4) "
            + "\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) GMT"
    }
}
