// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "thor", targets: ["thor"]),
        .executable(name: "yara-engine-bench", targets: ["yara-engine-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The only contract between host and modules.
        .target(name: "PluginABI", path: "Sources/PluginABI"),

        // yara and ioc modules: engines (testable without the host), bench.
        .systemLibrary(name: "CYara", path: "Plugins/yara/CYara"),
        .target(name: "YaraEngine", dependencies: ["CYara"], path: "Plugins/yara/Engine"),
        .executableTarget(name: "yara-engine-bench", dependencies: ["YaraEngine"], path: "Plugins/yara/Bench"),
        .testTarget(name: "YaraEngineTests", dependencies: ["YaraEngine"]),
        .target(name: "IOCEngine", path: "Plugins/ioc/Engine"),
        .testTarget(name: "IOCEngineTests", dependencies: ["IOCEngine"]),
    ],
    swiftLanguageModes: [.v5]
)
