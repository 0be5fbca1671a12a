// swift-tools-version:6.1
// The product's sign-in service (make example): a Hummingbird 2 server that uses
// swift-session-token as any consumer would, through its traits and public API.
import PackageDescription

let package = Package(
    name: "SignInService",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-session-token", path: "../..", traits: ["Hummingbird", "PostgreSQL"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
    ],
    targets: [
        .executableTarget(
            name: "SignInService",
            dependencies: [
                .product(name: "SessionToken", package: "swift-session-token"),
                .product(name: "SessionTokenPasswords", package: "swift-session-token"),
                .product(name: "SessionCookies", package: "swift-session-token"),
                .product(name: "SessionTokenHTTP", package: "swift-session-token"),
                .product(name: "SessionTokenHummingbird", package: "swift-session-token"),
                .product(name: "SessionTokenNextAuth", package: "swift-session-token"),
                .product(name: "SessionTokenSQLite", package: "swift-session-token"),
                .product(name: "SessionTokenPostgres", package: "swift-session-token"),
                .product(name: "SessionTokenDeviceBound", package: "swift-session-token"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
