// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-session-token",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SessionToken", targets: ["SessionToken"]),
        .executable(name: "session-token", targets: ["session-token"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
    ],
    targets: [
        // The C boundary: libsodium through pkg-config. Only Sources/SessionToken/Sodium imports it.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(
            name: "SessionToken",
            dependencies: ["CSodium", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .executableTarget(
            name: "session-token",
            dependencies: [
                "SessionToken",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SessionTokenTests",
            dependencies: ["SessionToken", "session-token"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
