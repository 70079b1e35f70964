// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "thor", targets: ["thor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The only contract between host and modules.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
    ],
    swiftLanguageModes: [.v5]
)
