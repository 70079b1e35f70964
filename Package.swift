// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    // Modules are dynamic library products named "thor-<module>" (libthor-<module>.so), found by
    // the host in plugins/ or beside its own executable.
    products: [
        .executable(name: "sigma-bench", targets: ["SigmaBench"]),
        .library(name: "thor-sigma", type: .dynamic, targets: ["SigmaModule"]),
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
        // Sigma rule engine: loading, compiling and matching SigmaHQ rules on field/value events.
        .target(name: "Sigma", dependencies: [.product(name: "Yams", package: "Yams")],
                path: "Plugins/sigma/Engine"),
        .target(name: "SigmaModule", dependencies: ["Sigma", "PluginKit", "PluginABI"], path: "Plugins/sigma/Module"),
        .executableTarget(name: "SigmaBench", dependencies: ["Sigma"], path: "Plugins/sigma/Bench"),
        .testTarget(name: "SigmaTests", dependencies: ["Sigma"], path: "Tests/SigmaTests"),
    ],
    swiftLanguageModes: [.v5]
)
