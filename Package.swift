// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    // Modules are dynamic library products named "thor-<module>" (libthor-<module>.so), found by
    // the host in plugins/ or beside its own executable.
    products: [
        .executable(name: "yara-engine-bench", targets: ["yara-engine-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The only contract between host and modules.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // A thin Swift layer for writing modules; modules depend on it, the host never does.
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),

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
