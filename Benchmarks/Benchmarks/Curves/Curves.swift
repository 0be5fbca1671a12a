import BenchSupport
import Benchmark
import CSodiumBench
import Foundation
import SessionToken
import SessionTokenRevocation

#if os(Linux)
import CMallocInfo
#endif

// Cost curves for `make bench-plot` (Benchmarks/plot/plot.py draws them): operations swept
// over a size, one benchmark per point, named `<sweep>=<size> <operation>` so that the plot
// script reads the point back from the export, and so that package-benchmark, which runs a
// group's benchmarks in the order of their names, runs the operations of one point back to
// back (the library and the raw cipher on one size see the same stretch of a shared machine).
// The group gates nothing and its largest points take a while (a revocation set of a million
// entries), so it registers its benchmarks only when BENCH_CURVES=1, which bench-plot.sh sets;
// `make bench` and `make bench-check` pass it by.

/// Claims sizes of the open sweep, in bytes of JSON: the five claims a session carries (113
/// bytes) and a `pad` string that brings them to the size.
let claimSizes = [128, 256, 512, 1024, 2048, 4096, 8192]
/// Entries in the revocation set (half users, half sessions): the check's cost at each power of
/// ten, the set's memory also in between, since the bytes an entry swing with how full the
/// hash tables happen to be.
let checkSizes: Set = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
let memorySizes = [
    10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000,
]
/// Sets of one kind of entry, each one entry past a point where Swift's hash tables double
/// (three quarters of a power of two, plus one): the most bytes an entry can cost.
let worstCaseSizes = [97, 1_537, 49_153, 786_433]
/// Keys in the ring; the token names the last one.
let ringSizes = [1, 2, 4, 8, 16, 32, 64]

let benchmarks: @Sendable () -> Void = {
    guard ProcessInfo.processInfo.environment["BENCH_CURVES"] == "1" else {
        print("Curves: skipped (run by make bench-plot, which sets BENCH_CURVES=1)")
        return
    }
    precondition(sodium_init() >= 0)
    let now = Fixtures.openedAt

    // MARK: open against the token's size, beside the raw cipher on the same bytes

    for size in claimSizes {
        let token = PaddedToken(claimBytes: size)
        print("Curves: claims=\(size): token \(token.text.utf8.count) B")
        Benchmark("claims=\(size) open", configuration: Suite.perOp()) { benchmark in
            let sealer = PaddedToken.sealer, text = token.text
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try sealer.open(text, at: now))
            }
        }
        Benchmark("claims=\(size) raw decrypt", configuration: Suite.perOp()) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { token.decrypt() }
        }
    }

    // MARK: open against the key ring's size

    for size in ringSizes {
        let sealer = try! SessionSealer(keys: KeyRing(primary: Fixtures.key(0), accepted: (1..<size).map(Fixtures.key)))
        let token = try! SessionSealer(keys: KeyRing(primary: Fixtures.key(size - 1)))
            .seal(subject: Fixtures.subject, at: Fixtures.sealedAt).token
        precondition((try? sealer.open(token, at: now)) != nil)
        Benchmark("ring=\(size) open", configuration: Suite.perOp()) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try sealer.open(token, at: now))
            }
        }
    }

    // MARK: the revocation check and the set's memory against its size

    // Sessions checked in turn, so that a large set is probed all over rather than in the
    // same few cache lines: the "revoked" ones have their `sid` in every set, the others not.
    let probes = 1024
    let revoked = RevocationFixture.sessions(probes)
    let notRevoked = RevocationFixture.sessions(probes)
    for size in memorySizes {
        let list = LazyBox { RevocationFixture.list(size: size, revoking: revoked) }
        let set = LazyBox { RevocationSet(list.value, at: now) }
        if checkSizes.contains(size) {
            Benchmark("entries=\(size) check not revoked", configuration: Suite.perOp()) { benchmark in
                let set = set.value
                precondition(!notRevoked.contains { set.revokes($0) })
                benchmark.startMeasurement()
                var i = 0
                for _ in benchmark.scaledIterations {
                    blackHole(set.revokes(notRevoked[i]))
                    i = (i + 1) & (probes - 1)
                }
            }
            // Only the sessions whose `sid` the set holds: all of them up to 1024, fewer below.
            let hits = min(probes, size / 2)
            Benchmark("entries=\(size) check revoked", configuration: Suite.perOp()) { benchmark in
                let set = set.value
                precondition(revoked.prefix(hits).allSatisfy { set.revokes($0) })
                benchmark.startMeasurement()
                var i = 0
                for _ in benchmark.scaledIterations {
                    blackHole(set.revokes(revoked[i]))
                    i += 1
                    if i == hits { i = 0 }
                }
            }
        }
        RevocationFixture.memoryBenchmark("entries=\(size) set memory", size: size, at: now) { list.value }
    }
    // The same, for sets of users only and of sessions only, at their fullest tables' emptiest.
    for size in worstCaseSizes {
        for kind in RevocationFixture.Kind.allCases {
            RevocationFixture.memoryBenchmark("\(kind)=\(size) set memory", size: size, at: now) {
                RevocationFixture.list(size: size, kind: kind)
            }
        }
    }
}

/// A value built on first use: the large fixtures are made only by the benchmarks that run.
final class LazyBox<Value>: @unchecked Sendable {
    private let make: () -> Value
    private var made: Value?
    init(_ make: @escaping () -> Value) { self.make = make }
    /// Benchmarks run one at a time, so no lock.
    var value: Value {
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}

/// Bytes glibc's allocator has handed out and not taken back (heap chunks in use and mmapped
/// chunks), or 0 where there is no mallinfo2.
func allocatorBytesInUse() -> Int {
    #if os(Linux)
    let info = mallinfo2()
    return Int(info.uordblks + info.hblkhd)
    #else
    return 0
    #endif
}

/// A token whose claims are exactly `claimBytes` long, and its parts for the raw decrypt.
struct PaddedToken: @unchecked Sendable {
    /// A one-key ring that admits the largest token of the sweep (8 KiB of claims make about
    /// 11 KB of token; the default limit is 4096).
    static let sealer = try! SessionSealer(keys: KeyRing(primary: Fixtures.key(0)), maxTokenLength: 16_384)

    let text: String
    private let aad: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    private let key = Fixtures.keyBytes(0)
    private let out: UnsafeMutablePointer<UInt8>

    init(claimBytes: Int) {
        // The claims with an empty `pad` member, then as many bytes in it as make up the rest.
        let bare = Self.claimsLength(Self.seal(pad: ""))
        let token = Self.seal(pad: String(repeating: "x", count: claimBytes - bare))
        precondition(Self.claimsLength(token) == claimBytes, "padding missed the size")
        text = token
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        aad = Array(segments[0].utf8)
        nonce = Fixtures.base64URLDecode(segments[2])
        ciphertext = Fixtures.base64URLDecode(segments[3])
        tag = Fixtures.base64URLDecode(segments[4])
        out = .allocate(capacity: ciphertext.count)
        decrypt()
    }

    /// The ciphertext is as long as the claims (the tag is separate).
    private static func claimsLength(_ token: String) -> Int {
        Fixtures.base64URLDecode(String(token.split(separator: ".", omittingEmptySubsequences: false)[3])).count
    }

    private static func seal(pad: String) -> String {
        try! sealer.seal(subject: Fixtures.subject, custom: ["pad": pad], at: Fixtures.sealedAt).token
    }

    /// libsodium's XChaCha20-Poly1305 on the token's own bytes, into a reused buffer (never
    /// freed: one per size, for the life of the process).
    func decrypt() {
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
            out, nil, ciphertext, UInt64(ciphertext.count), tag, aad, UInt64(aad.count), nonce, key)
        precondition(status == 0)
        blackHole(out.pointee)
    }
}

enum RevocationFixture {
    /// glibc's bytes in use after building the set, less before.
    static let allocatorBytes = BenchmarkMetric.custom(
        "allocator bytes", polarity: .prefersSmaller, useScalingFactor: false)

    /// A few samples: the figure is the same every time, and the largest set takes a while.
    static var memoryConfiguration: Benchmark.Configuration {
        .init(
            metrics: [.memoryLeakedBytes, .wallClock, allocatorBytes],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(3),
            maxIterations: 5)
    }

    /// `count` opened sessions, each with its own `sid` (22 bytes, inline) and the fixture's
    /// subject, which no set revokes.
    static func sessions(_ count: Int) -> [VerifiedSession] {
        (0..<count).map { _ in
            let token = try! Fixtures.sealer1.seal(subject: Fixtures.subject, at: Fixtures.sealedAt).token
            return try! Fixtures.sealer1.open(token, at: Fixtures.openedAt)
        }
    }

    /// What building a set of `size` entries from `makeList()` leaves allocated:
    /// package-benchmark's count of requested bytes not freed in the measured region
    /// (`memoryLeakedBytes`), and glibc's own figure (`mallinfo2`, bytes in use including the
    /// allocator's headers and rounding).
    static func memoryBenchmark(_ name: String, size: Int, at now: Date, _ makeList: @escaping @Sendable () -> [Revocation]) {
        Benchmark(name, configuration: memoryConfiguration) { benchmark in
            let list = makeList()
            let before = allocatorBytesInUse()
            benchmark.startMeasurement()
            let set = RevocationSet(list, at: now)
            benchmark.stopMeasurement()
            benchmark.measurement(allocatorBytes, allocatorBytesInUse() - before)
            precondition(set.count == size)
            blackHole(set)
            // Kept to here: freed inside the measured region, it would be counted off.
            blackHole(list)
        }
    }

    /// One kind of revocation.
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case users, sessions
        var description: String { rawValue }
    }

    /// `size` revocations in force of one kind: users (`user-<i>`, up to 12 bytes) or sessions
    /// (22-byte IDs).
    static func list(size: Int, kind: Kind) -> [Revocation] {
        let retention = Fixtures.sealer1.maxTokenAge, at = Fixtures.openedAt
        return (0..<size).map { i in
            switch kind {
            case .users: .user("user-\(i)", before: at, retainedFor: retention)
            case .sessions: .session(String("sid-\(i)-xxxxxxxxxxxxxxxxxxxxxx".prefix(22)), at: at, retainedFor: retention)
            }
        }
    }

    /// `size` revocations in force: half users (`user-<i>`, up to 12 bytes), half sessions
    /// (22-byte IDs, as this library writes them), the first of them the `sid`s of `revoking`.
    static func list(size: Int, revoking: [VerifiedSession]) -> [Revocation] {
        let retention = Fixtures.sealer1.maxTokenAge, at = Fixtures.openedAt
        let sessionIDs = revoking.compactMap(\.claims.sessionID)
        precondition(sessionIDs.allSatisfy { $0.utf8.count == 22 })
        return (0..<size).map { i in
            let n = i / 2
            if i % 2 == 0 { return .user("user-\(n)", before: at, retainedFor: retention) }
            let id = n < sessionIDs.count ? sessionIDs[n] : String("sid-\(n)-xxxxxxxxxxxxxxxxxxxxxx".prefix(22))
            return .session(id, at: at, retainedFor: retention)
        }
    }
}
