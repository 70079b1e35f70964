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
        .executable(name: "yara-engine-bench", targets: ["yara-engine-bench"]),
        .library(name: "thor-yara", type: .dynamic, targets: ["YaraModule"]),
        .library(name: "thor-ioc", type: .dynamic, targets: ["IOCModule"]),
        .library(name: "thor-archive", type: .dynamic, targets: ["ArchiveModule"]),
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
        // A thin Swift layer over the ABI for modules written in Swift (the host uses its string helpers).
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto"),
        .systemLibrary(name: "CLibSSL", path: "Sources/CLibSSL"),
        .systemLibrary(name: "CHostSystem", path: "Sources/CHostSystem"),
        // MD5, SHA1 and SHA256 interleaved in one pass, for CPUs with the SHA extensions.
        .target(name: "CTripleDigest", path: "Sources/CTripleDigest"),
        .target(name: "Host", dependencies: ["PluginABI", "PluginKit", "CLibCrypto", "CLibSSL", "CHostSystem", "CTripleDigest", "OrderedJSON"], path: "Sources/Host"),
        // The one JSON writer of the logs and the Thunderstorm API.
        .target(name: "OrderedJSON", path: "Sources/OrderedJSON"),
        .executableTarget(name: "thor", dependencies: [
            "Host", "PluginKit", "Thunderstorm", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ], path: "Sources/thor"),
        .target(name: "TrapModule", dependencies: ["PluginKit", "PluginABI"], path: "Tests/Fixtures/TrapModule"),
        // The test suites' process runner and build/corpus locations.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PluginKitTests", dependencies: ["PluginKit", "TestSupport"], path: "Tests/PluginKitTests"),
        .testTarget(name: "HostTests", dependencies: ["Host", "PluginABI", "TestSupport"], path: "Tests/HostTests"),
        // EVTX parser: a plain Swift library (no Host, no ABI), wrapped by the evtx module.
        .target(name: "EVTX", dependencies: ["EVTXCRCFold"], path: "Plugins/evtx/Parser"),
        .target(name: "EVTXCRCFold", path: "Plugins/evtx/CRCFold"),
        .target(name: "EVTXModule", dependencies: ["EVTX", "PluginKit", "PluginABI"], path: "Plugins/evtx/Module"),
        // Archive readers: plain Swift over bytes in memory (and zlib), wrapped by the archive module.
        .systemLibrary(name: "CZlib", path: "Plugins/archive/CZlib"),
        .systemLibrary(name: "CLibArchive", path: "Plugins/archive/CLibArchive"),
        .target(name: "ArchiveFormats", dependencies: ["CZlib", "CLibArchive"], path: "Plugins/archive/Parser"),
        .target(name: "ArchiveModule", dependencies: ["ArchiveFormats", "PluginKit", "PluginABI"], path: "Plugins/archive/Module"),
        .executableTarget(name: "EVTXDump", dependencies: ["EVTX"], path: "Plugins/evtx/Dump"),
        .executableTarget(name: "EVTXBench", dependencies: ["EVTX"], path: "Plugins/evtx/Bench"),
        .testTarget(name: "EVTXTests", dependencies: ["EVTX", "TestSupport"], path: "Tests/EVTXTests"),
        .testTarget(name: "ArchiveTests", dependencies: ["ArchiveFormats", "TestSupport"], path: "Tests/ArchiveTests"),
        // Sigma rule engine: loading, compiling and matching SigmaHQ rules on field/value events.
        .target(name: "Sigma", dependencies: [.product(name: "Yams", package: "Yams")],
                path: "Plugins/sigma/Engine"),
        .target(name: "SigmaModule", dependencies: ["Sigma", "PluginKit", "PluginABI"], path: "Plugins/sigma/Module"),
        .executableTarget(name: "SigmaBench", dependencies: ["Sigma", "EVTX"], path: "Plugins/sigma/Bench"),
        .testTarget(name: "SigmaTests", dependencies: ["Sigma", "SigmaModule", "PluginABI", "PluginKit", "EVTX", "TestSupport"], path: "Tests/SigmaTests"),

        // yara and ioc modules: engines (testable without the host), bench.
        .systemLibrary(name: "CYara", path: "Plugins/yara/CYara"),
        .target(name: "YaraEngine", dependencies: ["CYara", "CLibCrypto", "PluginKit"], path: "Plugins/yara/Engine"),
        .executableTarget(name: "yara-engine-bench", dependencies: ["YaraEngine"], path: "Plugins/yara/Bench"),
        .target(name: "YaraModule", dependencies: ["YaraEngine", "PluginKit", "PluginABI"], path: "Plugins/yara/Module"),
        .testTarget(name: "YaraEngineTests", dependencies: ["YaraEngine", "TestSupport"]),
        .target(name: "IOCEngine", dependencies: ["PluginKit"], path: "Plugins/ioc/Engine"),
        .target(name: "IOCModule", dependencies: ["IOCEngine", "PluginKit", "PluginABI"], path: "Plugins/ioc/Module"),
        .testTarget(name: "IOCEngineTests", dependencies: ["IOCEngine", "TestSupport"]),
        // Thunderstorm HTTP service; the host plugs in through SampleScanner.
        .target(
            name: "Thunderstorm",
            dependencies: [
                "OrderedJSON",
                "CHostSystem",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/Thunderstorm"
        ),
        // Test fixture only: serves Thunderstorm with a marker/EICAR scanner (not a product).
        .executableTarget(
            name: "thunderstorm-testserver",
            dependencies: ["Thunderstorm", "CLibCrypto"],
            path: "Tests/ThunderstormFixtures/Server"
        ),
        .testTarget(
            name: "ThunderstormTests",
            dependencies: ["Thunderstorm", "thunderstorm-testserver", "TestSupport", .product(name: "NIOEmbedded", package: "swift-nio")],
            path: "Tests/ThunderstormTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)
