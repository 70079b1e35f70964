// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    // Modules are dynamic library products named "thor-<module>" (libthor-<module>.so), found by
    // the host in plugins/ or beside its own executable.
    products: [
        .executable(name: "thor", targets: ["thor"]),
        .executable(name: "yara-engine-bench", targets: ["yara-engine-bench"]),
        .library(name: "thor-yara", type: .dynamic, targets: ["YaraModule"]),
        .library(name: "thor-ioc", type: .dynamic, targets: ["IOCModule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The only contract between host and modules.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // A thin Swift layer over the ABI for modules written in Swift (the host uses its string helpers).
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto"),
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .target(name: "Host", dependencies: ["PluginABI", "PluginKit", "CLibCrypto", "CSystem"], path: "Sources/Host"),
        .executableTarget(name: "thor", dependencies: [
            "Host", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/thor"),
        .testTarget(name: "HostTests", dependencies: ["Host", "PluginABI"], path: "Tests/HostTests"),

        // yara and ioc modules: engines (testable without the host), bench.
        .systemLibrary(name: "CYara", path: "Plugins/yara/CYara"),
        .target(name: "YaraEngine", dependencies: ["CYara", "CLibCrypto"], path: "Plugins/yara/Engine"),
        .executableTarget(name: "yara-engine-bench", dependencies: ["YaraEngine"], path: "Plugins/yara/Bench"),
        .target(name: "YaraModule", dependencies: ["YaraEngine", "PluginKit", "PluginABI"], path: "Plugins/yara/Module"),
        .testTarget(name: "YaraEngineTests", dependencies: ["YaraEngine"]),
        .target(name: "IOCEngine", path: "Plugins/ioc/Engine"),
        .target(name: "IOCModule", dependencies: ["IOCEngine", "PluginKit", "PluginABI"], path: "Plugins/ioc/Module"),
        .testTarget(name: "IOCEngineTests", dependencies: ["IOCEngine"]),
    ],
    swiftLanguageModes: [.v5]
)
