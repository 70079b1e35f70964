// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thor",
    platforms: [.macOS(.v14)],
    // Modules are dynamic library products named "thor-<module>" (libthor-<module>.so), found by
    // the host in plugins/ or beside its own executable.
    products: [
        .executable(name: "thor", targets: ["thor"]),
        // A module that traps, for the worker tests; not shipped (not named thor-*).
        .library(name: "TestTrapModule", type: .dynamic, targets: ["TrapModule"]),
        .library(name: "thor-evtx", type: .dynamic, targets: ["EVTXModule"]),
        .executable(name: "thor-evtx-dump", targets: ["EVTXDump"]),
        .executable(name: "evtx-bench", targets: ["EVTXBench"]),
        .library(name: "thor-sigma", type: .dynamic, targets: ["SigmaModule"]),
        .executable(name: "sigma-bench", targets: ["SigmaBench"]),
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
        .target(name: "TrapModule", dependencies: ["PluginKit", "PluginABI"], path: "Tests/Fixtures/TrapModule"),
        .testTarget(name: "HostTests", dependencies: ["Host", "PluginABI"], path: "Tests/HostTests"),
        // EVTX parser: a plain Swift library (no Host, no ABI), wrapped by the evtx module.
        .target(name: "EVTX", dependencies: ["EVTXCRCFold"], path: "Plugins/evtx/Parser"),
        .target(name: "EVTXCRCFold", path: "Plugins/evtx/CRCFold"),
        .target(name: "EVTXModule", dependencies: ["EVTX", "PluginKit", "PluginABI"], path: "Plugins/evtx/Module"),
        .executableTarget(name: "EVTXDump", dependencies: ["EVTX"], path: "Plugins/evtx/Dump"),
        .executableTarget(name: "EVTXBench", dependencies: ["EVTX"], path: "Plugins/evtx/Bench"),
        .testTarget(name: "EVTXTests", dependencies: ["EVTX"], path: "Tests/EVTXTests"),
        // Sigma rule engine: loading, compiling and matching SigmaHQ rules on field/value events.
        .target(name: "Sigma", dependencies: [.product(name: "Yams", package: "Yams")],
                path: "Plugins/sigma/Engine"),
        .target(name: "SigmaModule", dependencies: ["Sigma", "PluginKit", "PluginABI"], path: "Plugins/sigma/Module"),
        .executableTarget(name: "SigmaBench", dependencies: ["Sigma"], path: "Plugins/sigma/Bench"),
        .testTarget(name: "SigmaTests", dependencies: ["Sigma", "SigmaModule", "PluginABI", "PluginKit"], path: "Tests/SigmaTests"),
    ],
    swiftLanguageModes: [.v5]
)
