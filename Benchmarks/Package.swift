// swift-tools-version:6.1
// The benchmark suite of swift-session-token (issue 6): the library's hot paths beside their
// baselines (raw libsodium, Foundation's JSONDecoder) and peers (jwt-kit, swift-crypto), all in
// one `swift package benchmark` run so that the ratio targets compare figures from one sitting.
//
//   swift package --scratch-path .build benchmark                # the full suite (bench.sh)
//   ./bench-check.sh                                              # short run + ratio gate
//
// A separate package, so that the library's users never resolve package-benchmark or the peers.
import PackageDescription

// A path dependency's identity is its folder's name ("main" in one checkout, something else
// in CI's clone), so the product is looked up under whatever the parent folder is called.
let library = Context.packageDirectory.split(separator: "/").dropLast().last.map { String($0).lowercased() }
    ?? "swift-session-token"

let package = Package(
    name: "swift-session-token-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The trait Metrics for the metrics-overhead benchmark (Paired); it brings swift-metrics
        // and swift-log, API packages only.
        .package(path: "..", traits: ["Metrics"]),
        .package(url: "https://github.com/ordo-one/package-benchmark", "1.38.1"..<"1.39.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/jwt-kit", "5.7.1"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // libsodium for the raw-cipher baselines. The library's own CSodium is a target of the
        // root package, not a product, so the suite declares its own.
        .systemLibrary(
            name: "CSodiumBench",
            path: "Sources/CSodiumBench",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        // glibc's malloc statistics (mallinfo2), for the Curves group's memory figures.
        .systemLibrary(name: "CMallocInfo", path: "Sources/CMallocInfo"),
        // Shared fixtures: keys, the one set of claims, tokens, and the decoded bytes of the
        // same token for the baselines.
        .target(
            name: "BenchSupport",
            dependencies: [
                "CSodiumBench",
                .product(name: "SessionToken", package: library),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Sources/BenchSupport"
        ),
    ]
)

// One executable per operation group; package-benchmark finds them by their parent folder.
let groups: [(name: String, extra: [Target.Dependency])] = [
    ("Open", []),
    ("Seal", []),
    ("Reject", []),
    ("Baselines", ["CSodiumBench"]),
    ("Peers", [
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
    ]),
    ("Concurrency", ["CSodiumBench"]),
    ("Paired", ["CSodiumBench", .product(name: "SessionTokenHTTP", package: library),
        .product(name: "SessionTokenMetrics", package: library)]),
    ("DeviceBound", [
        .product(name: "SessionTokenDeviceBound", package: library),
        .product(name: "SessionTokenHTTP", package: library),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
    ]),
    ("NextAuth", [
        "CSodiumBench",
        .product(name: "SessionTokenNextAuth", package: library),
        .product(name: "SessionCookies", package: library),
        .product(name: "Crypto", package: "swift-crypto"),
    ]),
    // Cost curves for `make bench-plot` only (registers nothing without BENCH_CURVES=1).
    ("Curves", ["CSodiumBench", "CMallocInfo"]),
]

package.targets += groups.map { group in
    .executableTarget(
        name: group.name,
        dependencies: [
            "BenchSupport",
            .product(name: "Benchmark", package: "package-benchmark"),
            .product(name: "SessionToken", package: library),
            .product(name: "SessionTokenRevocation", package: library),
        ] + group.extra,
        path: "Benchmarks/\(group.name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}
