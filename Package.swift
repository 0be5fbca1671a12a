// swift-tools-version:6.1
import PackageDescription

// swift-docc-plugin only for `make docs`, which sets SESSION_TOKEN_DOCS=1: a consumer of this
// package never resolves it (make check-deps proves it).
let documentationDependencies: [Package.Dependency] =
    Context.environment["SESSION_TOKEN_DOCS"] == "1"
    ? [.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0")] : []

// The library's modules adopt Swift 6's upcoming rules: `any` on every existential, members
// visible only through the module's own imports, and imports internal unless declared
// `public import` (so a module's public API says which dependencies it exposes).
let librarySettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-session-token",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SessionToken", targets: ["SessionToken"]),
        // Revocation: the set a node checks, the service that keeps it fresh, the store protocol.
        .library(name: "SessionTokenRevocation", targets: ["SessionTokenRevocation"]),
        .library(name: "SessionTokenNextAuth", targets: ["SessionTokenNextAuth"]),
        // Argon2id password hashing for services that sign users in themselves.
        .library(name: "SessionTokenPasswords", targets: ["SessionTokenPasswords"]),
        .library(name: "SessionCookies", targets: ["SessionCookies"]),
        .executable(name: "session-token", targets: ["session-token"]),
        // Device-bound sessions (W3C DBSC): the browsers' signatures through swift-crypto.
        .library(name: "SessionTokenDeviceBound", targets: ["SessionTokenDeviceBound"]),
        // Hummingbird 2 middleware; empty unless the trait `Hummingbird` is enabled.
        .library(name: "SessionTokenHTTP", targets: ["SessionTokenHTTP"]),
        .library(name: "SessionTokenHummingbird", targets: ["SessionTokenHummingbird"]),
        // Vapor 4 middleware, authenticator and session driver; empty unless the trait `Vapor` is enabled.
        .library(name: "SessionTokenVapor", targets: ["SessionTokenVapor"]),
        // Revocations on a file: Debian's libsqlite3, no package dependency.
        .library(name: "SessionTokenSQLite", targets: ["SessionTokenSQLite"]),
        // Revocations on PostgreSQL with LISTEN/NOTIFY; empty unless the trait `PostgreSQL` is enabled.
        .library(name: "SessionTokenPostgres", targets: ["SessionTokenPostgres"]),
        // swift-metrics counters and swift-log lines; empty unless the trait `Metrics` is enabled.
        .library(name: "SessionTokenMetrics", targets: ["SessionTokenMetrics"]),
    ],
    // Framework integrations are off by default: a service that imports only SessionToken
    // resolves no NIO, Hummingbird or Vapor package (make check-deps proves it).
    traits: [
        .trait(
            name: "Hummingbird", description: "SessionTokenHummingbird: middleware for Hummingbird 2 and hummingbird-auth.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "Vapor",
            description: "SessionTokenVapor: middleware, authenticator, session driver and a lifecycle handler for Vapor 4.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "Configuration",
            description: "Key rings from apple/swift-configuration, read as secrets and reloaded as they change.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "ServiceLifecycle",
            description: "RevocationService and KeyRingReloader as swift-service-lifecycle Services (on with Hummingbird and Vapor)."),
        .trait(name: "PostgreSQL", description: "SessionTokenPostgres: a revocation store on PostgreSQL through postgres-nio."),
        .trait(name: "Metrics", description: "SessionTokenMetrics: swift-metrics counters and swift-log lines (no backend bundled)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-structured-headers", from: "1.2.0"),
    ] + documentationDependencies,
    targets: [
        // The C boundary: libsodium through pkg-config. Only Sources/SessionTokenInternals/Sodium imports it.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        // The token codec's SSSE3 base64url paths, decoding (with AVX2 blocks where present)
        // and encoding (Swift's SIMD types cannot emit `pshufb`). Only Sources/SessionTokenInternals/Base64URL imports it.
        .target(name: "CBase64URL"),
        // What the products are built from and no product exposes: the libsodium boundary,
        // base64url, the JSON parser, and text helpers. Not a product, and its API is `package`:
        // code outside this package cannot call it.
        .target(
            name: "SessionTokenInternals",
            dependencies: ["CSodium", "CBase64URL"],
            swiftSettings: librarySettings
        ),
        .target(
            name: "SessionToken",
            dependencies: [
                "SessionTokenInternals", .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])),
                .product(name: "UnixSignals", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])),
                .product(name: "Configuration", package: "swift-configuration", condition: .when(traits: ["Configuration"])),
            ],
            swiftSettings: librarySettings
        ),
        // Revocation by user and by session, checked after authentication; the stores depend
        // on it, the core does not.
        .target(
            name: "SessionTokenRevocation",
            dependencies: [
                "SessionToken", "SessionTokenInternals", .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])),
            ],
            swiftSettings: librarySettings
        ),
        // Argon2id through the same libsodium boundary; no dependency on the token core.
        .target(
            name: "SessionTokenPasswords",
            dependencies: ["SessionTokenInternals"],
            swiftSettings: librarySettings
        ),
        // next-auth v4 / Auth.js v5 session cookies: AES-GCM, AES-CBC and HMAC from swift-crypto, kept
        // out of the core so that its users do not pull the dependency.
        .target(
            name: "SessionTokenNextAuth",
            dependencies: [
                "SessionToken", "SessionTokenRevocation",
                "SessionTokenInternals",
                "SessionCookies",
                "SessionTokenHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: librarySettings
        ),
        // Cookie and Set-Cookie codecs, the cookie policy, session cookies, CSRF and callback URLs:
        // the core only (libsodium through it), no swift-crypto and no web framework. next-auth's
        // cookies are read and written through it too.
        .target(
            name: "SessionCookies",
            dependencies: ["SessionToken", "SessionTokenInternals"],
            swiftSettings: librarySettings
        ),
        // What every framework integration shares: opening a request's session, the cookies its
        // response sets, the CSRF check. No framework dependency, and no next-auth: its format
        // plugs in from SessionTokenNextAuth, so a service without it builds no swift-crypto.
        .target(
            name: "SessionTokenHTTP",
            dependencies: ["SessionToken", "SessionTokenRevocation", "SessionCookies"],
            swiftSettings: librarySettings
        ),
        // Device-bound sessions (W3C Device Bound Session Credentials): the browsers' P-256 and
        // RSA signatures through swift-crypto (libsodium has neither), the DBSC header fields
        // through swift-http-structured-headers. A product of its own, so that a service
        // without device binding builds neither.
        .target(
            name: "SessionTokenDeviceBound",
            dependencies: [
                "SessionToken", "SessionTokenRevocation", "SessionTokenInternals", "SessionCookies", "SessionTokenHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Metrics"])),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "SessionTokenHummingbird",
            dependencies: [
                "SessionTokenHTTP",
                "SessionToken",
                "SessionCookies",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Hummingbird"])),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "SessionTokenVapor",
            dependencies: [
                "SessionTokenHTTP",
                "SessionToken",
                "SessionCookies",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Vapor"])),
            ],
            swiftSettings: librarySettings
        ),
        // The C boundary of the SQLite store: Debian's libsqlite3 through pkg-config. Only
        // Sources/SessionTokenSQLite/SQLiteConnection.swift imports it.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(
            name: "SessionTokenSQLite",
            dependencies: ["SessionToken", "SessionTokenRevocation", "CSQLite"],
            swiftSettings: librarySettings
        ),
        .target(
            name: "SessionTokenPostgres",
            dependencies: [
                "SessionToken", "SessionTokenRevocation",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "SessionTokenMetrics",
            dependencies: [
                "SessionToken", "SessionTokenRevocation",
                .product(name: "Atomics", package: "swift-atomics", condition: .when(traits: ["Metrics"])),
                .product(name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Metrics"])),
            ],
            swiftSettings: librarySettings
        ),
        .executableTarget(
            name: "session-token",
            dependencies: [
                "SessionToken", "SessionTokenRevocation",
                "SessionTokenInternals",
                "SessionTokenNextAuth",
                "SessionCookies",
                "SessionTokenSQLite",
                "SessionTokenPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (make fuzz); built normally, a replayer for corpora and crashes.
        .executableTarget(
            name: "session-token-fuzz",
            dependencies: [
                "SessionToken", "SessionTokenInternals", "SessionTokenNextAuth", "SessionCookies", "SessionTokenDeviceBound",
                "CFuzzDriver",
            ]
        ),
        .target(name: "CFuzzDriver"),
        // The dudect-style timing check (make ct-check).
        .executableTarget(
            name: "session-token-ct",
            dependencies: ["SessionToken", "SessionCookies", "SessionTokenNextAuth"]
        ),
        // Helpers the three test targets share: error assertions, running the CLI, checking README snippets.
        .target(name: "SessionTokenTestSupport", dependencies: ["SessionToken", "SessionTokenRevocation", "SessionCookies"], path: "Tests/TestSupport"),
        .testTarget(
            name: "SessionTokenTests",
            dependencies: ["SessionToken", "SessionTokenRevocation", "SessionTokenInternals", "CBase64URL", "SessionTokenTestSupport"]
        ),
        .testTarget(
            name: "SessionTokenPasswordsTests",
            dependencies: ["SessionTokenPasswords", "SessionTokenTestSupport"]
        ),
        .testTarget(
            name: "SessionTokenNextAuthTests",
            dependencies: ["SessionTokenNextAuth", "SessionTokenInternals", "SessionToken", "SessionTokenRevocation", "SessionTokenTestSupport"]
        ),
        .testTarget(
            name: "SessionCookiesTests",
            dependencies: ["SessionCookies", "SessionToken", "SessionTokenNextAuth", "SessionTokenTestSupport"]
        ),
        // The framework-neutral HTTP layer (SessionTokenHTTP), without a framework.
        .testTarget(
            name: "SessionTokenHTTPTests",
            dependencies: ["SessionTokenHTTP", "SessionCookies", "SessionToken", "SessionTokenRevocation", "SessionTokenNextAuth", "SessionTokenTestSupport"]
        ),
        // Device-bound sessions: the proof rules against Chromium's and forged JWTs, and the
        // registration and refresh rounds through the framework-neutral layer.
        .testTarget(
            name: "SessionTokenDeviceBoundTests",
            dependencies: [
                "SessionTokenDeviceBound", "SessionTokenHTTP", "SessionToken", "SessionTokenRevocation", "SessionCookies",
                "SessionTokenInternals", "SessionTokenTestSupport", "DeviceBoundTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
            ]
        ),
        // A browser's side of DBSC in software (its key, its proofs, its cookie jar), for the
        // device-bound tests of every layer.
        .target(
            name: "DeviceBoundTestSupport",
            dependencies: [
                "SessionTokenHTTP", "SessionTokenInternals",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/DeviceBoundTestSupport"
        ),
        // The session-token executable run as a user runs it: exit codes, standard output and error.
        .testTarget(
            name: "SessionTokenCLITests",
            dependencies: ["session-token", "SessionToken", "SessionTokenSQLite", "SessionTokenTestSupport"]
        ),
        .testTarget(
            name: "SessionTokenHummingbirdTests",
            dependencies: [
                "SessionTokenHummingbird",
                "SessionTokenHTTP",
                "SessionToken", "SessionTokenRevocation",
                "SessionCookies",
                "SessionTokenNextAuth",
                "SessionTokenTestSupport", "SessionTokenDeviceBound", "DeviceBoundTestSupport",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Hummingbird"])),
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Hummingbird"])),
            ]
        ),
        .testTarget(
            name: "SessionTokenSQLiteTests",
            dependencies: ["SessionTokenSQLite", "SessionToken", "SessionTokenRevocation", "SessionTokenTestSupport"]
        ),
        .testTarget(
            name: "SessionTokenMetricsTests",
            dependencies: [
                "SessionTokenMetrics",
                "SessionTokenHTTP",
                "SessionToken", "SessionTokenRevocation",
                "SessionTokenTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Metrics"])),
            ]
        ),
        // Key rings from swift-configuration, reloaded as the value changes (trait Configuration).
        .testTarget(
            name: "SessionTokenConfigurationTests",
            dependencies: [
                "SessionToken",
                "SessionTokenTestSupport",
                .product(name: "Configuration", package: "swift-configuration", condition: .when(traits: ["Configuration"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Configuration"])),
            ]
        ),
        // Runs against a real PostgreSQL server (make test-postgres starts one on loopback).
        .testTarget(
            name: "SessionTokenPostgresTests",
            dependencies: [
                "SessionTokenPostgres",
                "SessionToken", "SessionTokenRevocation",
                "session-token",
                "SessionTokenTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            ]
        ),
        .testTarget(
            name: "SessionTokenVaporTests",
            dependencies: [
                "SessionTokenVapor",
                "SessionTokenHTTP",
                "SessionToken", "SessionTokenRevocation",
                "SessionCookies",
                "SessionTokenNextAuth",
                "SessionTokenTestSupport", "SessionTokenDeviceBound", "DeviceBoundTestSupport",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
                .product(name: "XCTVapor", package: "vapor", condition: .when(traits: ["Vapor"])),
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Vapor"])),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
