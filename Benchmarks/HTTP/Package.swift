// swift-tools-version:6.1
// The HTTP benchmark's servers (make bench-http): the same route behind this library's
// middleware and behind the frameworks' own session middleware. A package of its own, so that
// the library's manifest and CI never build Vapor's JWT stack.
import PackageDescription

let package = Package(
    name: "bench-http",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-session-token", path: "../..", traits: ["Hummingbird", "Vapor"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/jwt", from: "5.2.0"),
        // The device key that signs the bound session's registration proof (hb-bound).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "bench-server",
            dependencies: [
                .product(name: "SessionToken", package: "swift-session-token"),
                .product(name: "SessionTokenHTTP", package: "swift-session-token"),
                .product(name: "SessionTokenHummingbird", package: "swift-session-token"),
                .product(name: "SessionTokenVapor", package: "swift-session-token"),
                .product(name: "SessionTokenNextAuth", package: "swift-session-token"),
                .product(name: "SessionTokenDeviceBound", package: "swift-session-token"),
                .product(name: "SessionCookies", package: "swift-session-token"),
                .product(name: "SessionTokenRevocation", package: "swift-session-token"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "JWT", package: "jwt"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
