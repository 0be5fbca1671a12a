import Foundation
import SessionCookies
import SessionTokenNextAuth
import SessionToken

/// A timing-leak check in the manner of dudect (Reparaz, Balasch and Verbauwhede, "Dude, is my
/// code constant time?", 2017): time one operation on two classes of inputs, interleaved at
/// random, and compare the two timing distributions with Welch's t-test. |t| below 4.5 after
/// enough measurements means no leak was detected; it proves nothing stronger.
///
/// `make ct-check` runs it (release build). Measurements per class: `CT_MEASUREMENTS`
/// (default 1,000,000). Shared machines are noisy, so CI does not gate on it.
@main
enum ConstantTimeCheck {
    static func main() throws {
        let measurements = ProcessInfo.processInfo.environment["CT_MEASUREMENTS"].flatMap(Int.init) ?? 1_000_000
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let key = try SessionKey(id: "k1", bytes: (0..<32).map { UInt8($0) })
        let stranger = try SessionKey(id: "k1", bytes: (0..<32).map { UInt8(0x80 ^ $0) })
        let sealer = try SessionSealer(keys: KeyRing(primary: key))
        let valid = try sealer.seal(subject: "user-4242424242", at: now).token
        let foreign = try SessionSealer(keys: KeyRing(primary: stranger)).seal(subject: "user-4242424242", at: now).token

        // Forged tags: the 16-byte tag is the last 22 characters. Changing the first character
        // changes the tag's first byte; changing the second-to-last its last byte.
        func withTagCharacter(_ token: String, fromEnd offset: Int) -> String {
            var bytes = Array(token.utf8)
            let index = bytes.count - offset
            bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "Q") : UInt8(ascii: "A")
            return String(decoding: bytes, as: UTF8.self)
        }
        let tagFirstByte = withTagCharacter(valid, fromEnd: 22)
        let tagLastByte = withTagCharacter(valid, fromEnd: 2)
        for forged in [tagFirstByte, tagLastByte, foreign] {
            guard (try? sealer.open(forged, at: now)) == nil else { throw CheckError("a forged token opened") }
        }

        print("dudect-style timing check, \(measurements) measurements per class, |t| < 4.5 means no leak detected")
        print("open: tag wrong in its first byte vs its last byte")
        let a = measure(measurements, [tagFirstByte, tagLastByte]) { token in _ = try? sealer.open(token, at: now) }
        print(a.report)
        print("open: wrong key vs wrong tag")
        let b = measure(measurements, [foreign, tagLastByte]) { token in _ = try? sealer.open(token, at: now) }
        print(b.report)

        // The CSRF check (next-auth's double submit): a submitted token that differs from the
        // cookie's in its first character vs in its last.
        let csrf = try NextAuthCSRF(secret: "a secret of the CSRF check, long enough for HKDF")
        let csrfToken = csrf.makeToken()
        let cookieValue = csrf.cookieValue(for: csrfToken)
        func changed(_ token: String, at index: Int) -> String {
            var bytes = Array(token.utf8)
            bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            return String(decoding: bytes, as: UTF8.self)
        }
        let firstWrong = changed(csrfToken, at: 0), lastWrong = changed(csrfToken, at: csrfToken.utf8.count - 1)
        guard !csrf.verify(cookieValue: cookieValue, submitted: firstWrong),
            !csrf.verify(cookieValue: cookieValue, submitted: lastWrong)
        else { throw CheckError("a wrong CSRF token verified") }
        print("CSRF verification: submitted token wrong in its first vs its last character")
        let c = measure(measurements, [firstWrong, lastWrong]) { submitted in
            _ = csrf.verify(cookieValue: cookieValue, submitted: submitted)
        }
        print(c.report)
        let worst = [a, b, c].map(\.maxAbsT).max() ?? 0
        print(String(format: "largest |t| = %.2f: %@", worst, worst < 4.5 ? "no leak detected" : "POSSIBLE LEAK"))
    }

    struct CheckError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Times `operation` on the two inputs, `count` times each.
    static func measure<Input>(_ count: Int, _ inputs: [Input], _ operation: (Input) -> Void) -> Result {
        run(count) { cls in operation(inputs[cls]) }
    }

    /// Measures `operation(class)` `count` times per class, classes in random order, and keeps
    /// Welch statistics for all samples and for samples under several percentiles (dudect's
    /// cropping, which removes interrupts and other heavy-tailed noise).
    static func run(_ count: Int, _ operation: (Int) -> Void) -> Result {
        var generator = SystemRandomNumberGenerator()
        // Warm up and fix the crop thresholds from a first sample.
        var warm: [UInt64] = []
        for _ in 0..<20_000 {
            let cls = Int(generator.next() & 1)
            warm.append(time { operation(cls) })
        }
        warm.sort()
        let thresholds = [0.5, 0.75, 0.9, 0.99].map { warm[Int(Double(warm.count - 1) * $0)] }
        var result = Result(classes: [Welford(), Welford()], crops: thresholds.map { ($0, [Welford(), Welford()]) })
        var done = [0, 0]
        while done[0] < count || done[1] < count {
            var cls = Int(generator.next() & 1)
            if done[cls] >= count { cls = 1 - cls }
            let t = time { operation(cls) }
            done[cls] += 1
            result.classes[cls].add(Double(t))
            for i in result.crops.indices where t <= result.crops[i].threshold {
                result.crops[i].classes[cls].add(Double(t))
            }
        }
        return result
    }

    @inline(__always)
    static func time(_ body: () -> Void) -> UInt64 {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC_RAW, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC_RAW, &end)
        return UInt64((end.tv_sec - start.tv_sec) * 1_000_000_000 + (end.tv_nsec - start.tv_nsec))
    }

    /// Running mean and variance (Welford).
    struct Welford {
        var n = 0.0, mean = 0.0, m2 = 0.0
        mutating func add(_ x: Double) {
            n += 1
            let delta = x - mean
            mean += delta / n
            m2 += delta * (x - mean)
        }
        var variance: Double { n > 1 ? m2 / (n - 1) : 0 }
    }

    struct Result {
        var classes: [Welford]
        var crops: [(threshold: UInt64, classes: [Welford])]

        static func t(_ a: Welford, _ b: Welford) -> Double {
            let denominator = (a.variance / max(a.n, 1) + b.variance / max(b.n, 1)).squareRoot()
            return denominator > 0 ? (a.mean - b.mean) / denominator : 0
        }

        var maxAbsT: Double {
            ([Self.t(classes[0], classes[1])] + crops.map { Self.t($0.classes[0], $0.classes[1]) }).map(abs).max() ?? 0
        }

        var report: String {
            var lines = [String(format: "  all samples: n = %.0f + %.0f, means %.1f ns vs %.1f ns, t = %+.2f",
                                classes[0].n, classes[1].n, classes[0].mean, classes[1].mean, Self.t(classes[0], classes[1]))]
            for crop in crops {
                lines.append(String(format: "  below %6llu ns: n = %.0f + %.0f, t = %+.2f", crop.threshold,
                                    crop.classes[0].n, crop.classes[1].n, Self.t(crop.classes[0], crop.classes[1])))
            }
            lines.append(String(format: "  max |t| = %.2f (%@)", maxAbsT, maxAbsT < 4.5 ? "no leak detected" : "POSSIBLE LEAK"))
            return lines.joined(separator: "\n")
        }
    }
}
