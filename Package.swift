// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    // Modules are dynamic library products named "thor-<module>" (libthor-<module>.so), found by
    // the host in plugins/ or beside its own executable.
    products: [
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // The only contract between host and modules.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // A thin Swift layer for writing modules; modules depend on it, the host never does.
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),
        // Thunderstorm HTTP service; the host plugs in through SampleScanner.
        .target(
            name: "Thunderstorm",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/Thunderstorm"
        ),
        // Test fixture only: serves Thunderstorm with a marker/EICAR scanner (not a product).
        .systemLibrary(name: "CThunderstormFixtureCrypto", path: "Tests/ThunderstormFixtures/CCrypto"),
        .executableTarget(
            name: "thunderstorm-testserver",
            dependencies: ["Thunderstorm", "CThunderstormFixtureCrypto"],
            path: "Tests/ThunderstormFixtures/Server"
        ),
        .testTarget(
            name: "ThunderstormTests",
            dependencies: ["Thunderstorm", "thunderstorm-testserver"],
            path: "Tests/ThunderstormTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)
