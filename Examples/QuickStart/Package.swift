// swift-tools-version:6.1
// The README's quick starts as a consumer builds them (make quickstart): one executable per
// framework, so that CI builds Hummingbird and Vapor once each. The README shows each main.swift
// verbatim and the lines of this file a user needs (Tests/SessionTokenTests/ReadmeFilesTests.swift
// checks both). A user depends on the repository by URL where this package depends by path.
import PackageDescription

let package = Package(
    name: "QuickStart",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A service depends by URL, with the trait of its framework (this package has both):
        // .package(url: "<this repository>", branch: "main", traits: ["Hummingbird"]),
        // .package(url: "<this repository>", branch: "main", traits: ["Vapor"]),
        .package(name: "swift-session-token", path: "../..", traits: ["Hummingbird", "Vapor"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
    ],
    targets: [
        .executableTarget(
            name: "CoreQuickStart",
            dependencies: [
                .product(name: "SessionToken", package: "swift-session-token"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdQuickStart",
            dependencies: [
                .product(name: "SessionToken", package: "swift-session-token"),
                .product(name: "SessionCookies", package: "swift-session-token"),
                .product(name: "SessionTokenHTTP", package: "swift-session-token"),
                .product(name: "SessionTokenHummingbird", package: "swift-session-token"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            ]
        ),
        .executableTarget(
            name: "VaporQuickStart",
            dependencies: [
                .product(name: "SessionToken", package: "swift-session-token"),
                .product(name: "SessionCookies", package: "swift-session-token"),
                .product(name: "SessionTokenHTTP", package: "swift-session-token"),
                .product(name: "SessionTokenVapor", package: "swift-session-token"),
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
