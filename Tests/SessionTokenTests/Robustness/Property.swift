import Foundation
import SessionTokenTestSupport
import XCTest

/// A small property-testing harness driven from XCTest.
///
/// Each property runs `PROPERTY_ITERATIONS` cases (1,000 by default, the CI count) from a seed
/// (`PROPERTY_SEED`, random by default). On failure it shrinks the case with the property's
/// shrinker, then reports the seed, the case number and the smallest failing case found, so
/// `PROPERTY_SEED=<seed>` replays the run exactly.
///
/// x-sheep/swift-property-based drives Swift Testing's `@Test`, not XCTest, so the suite keeps
/// this harness instead: generation and shrinking are about 100 lines.
enum Property {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["PROPERTY_ITERATIONS"].flatMap(Int.init) ?? 1_000
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["PROPERTY_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
    }

    /// Checks that `property` holds (returns without throwing) for generated values.
    static func check<Value>(
        _ name: String,
        iterations: Int = Property.iterations,
        file: StaticString = #filePath, line: UInt = #line,
        generate: (inout SeededRandom) -> Value,
        shrink: (Value) -> [Value] = { _ in [] },
        describe: (Value) -> String = { String(reflecting: $0) },
        property: (Value) throws -> Void
    ) {
        let seed = Self.seed
        var random = SeededRandom(seed: seed)
        for index in 0..<iterations {
            let value = generate(&random)
            guard let failure = failureOf(property, value) else { continue }
            var smallest = value
            var message = failure
            var budget = 2_000
            var progress = true
            while progress && budget > 0 {
                progress = false
                for candidate in shrink(smallest) {
                    budget -= 1
                    if let candidateFailure = failureOf(property, candidate) {
                        smallest = candidate
                        message = candidateFailure
                        progress = true
                        break
                    }
                    if budget <= 0 { break }
                }
            }
            XCTFail(
                "property '\(name)' failed at case \(index) of \(iterations); replay with PROPERTY_SEED=\(seed)\n"
                    + "smallest failing case: \(describe(smallest))\nfailure: \(message)",
                file: file, line: line)
            return
        }
    }

    private static func failureOf<Value>(_ property: (Value) throws -> Void, _ value: Value) -> String? {
        do {
            try property(value)
            return nil
        } catch {
            return String(describing: error)
        }
    }
}

/// Thrown by a property to say what went wrong.
struct PropertyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Generators and shrinkers for common shapes.
enum Gen {
    static func int(_ range: ClosedRange<Int>, _ r: inout SeededRandom) -> Int { Int.random(in: range, using: &r) }

    static func bytes(maxCount: Int, _ r: inout SeededRandom) -> [UInt8] {
        (0..<Int.random(in: 0...maxCount, using: &r)).map { _ in UInt8.random(in: 0...255, using: &r) }
    }

    /// Any Unicode: ASCII, controls, Latin, CJK, emoji and the edges of the planes.
    static func string(maxCount: Int, _ r: inout SeededRandom) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x00...0x1F, 0xA0...0x24F, 0x4E00...0x9FFF, 0x1F300...0x1FAFF, 0xE000...0xF8FF,
            0xFFF0...0xFFFD, 0x10000...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxCount, using: &r) {
            let range = ranges[Int.random(in: 0..<ranges.count, using: &r)]
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &r)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Shrinks an array by halves, then by single removals.
    static func shrink<T>(_ array: [T]) -> [[T]] {
        guard !array.isEmpty else { return [] }
        var out: [[T]] = [[], Array(array.prefix(array.count / 2)), Array(array.suffix(array.count / 2))]
        for i in array.indices.prefix(32) {
            var copy = array
            copy.remove(at: i)
            out.append(copy)
        }
        return out
    }

    static func shrink(_ string: String) -> [String] {
        shrink(Array(string.unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
    }
}
