import Foundation
import Host
import TestSupport
import XCTest

/// Shared helpers of the host tests: running the built `thor`.
enum Support {
    /// The `thor` that `swift build` made; the README's test command builds it first.
    static func thorBinary() throws -> String { try BuildProducts.thor() }

    typealias Run = ChildProcess.Result

    /// Runs a program and waits; `user` runs it as that user through setpriv (root only).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], user: String? = nil, cwd: String? = nil) throws -> Run {
        try ChildProcess.run(executable, arguments, cwd: cwd, user: user)
    }

    static func runThor(_ arguments: [String], user: String? = nil, cwd: String? = nil) throws -> Run {
        // No CPU pause and no lowered priority: test machines are busy, and a worker at nice 19 next to
        // other jobs can miss a test's deadline (the fault tests race a 2 s deadline against 256 MB).
        try run(thorBinary(), arguments + ["--nocolor", "--nocpulimit", "--nolowprio"], user: user, cwd: cwd)
    }
}

extension XCTestCase {
    /// A folder holding the example C module (`strings-example`), built for this test.
    func exampleModuleFolder() throws -> String {
        let plugins = try temporaryFolder("plugins").path
        try CModule.build(CModule.exampleModuleSource, named: "strings-example", into: plugins)
        return plugins
    }

    /// Options of an in-process scan of `tree` with the example C module, built into a folder of
    /// its own: no worker processes, no CPU pause, normal priority, no colours, logs in a new folder.
    func exampleModuleScanOptions(tree: String) throws -> ScanOptions {
        var options = ScanOptions()
        options.paths = [tree]
        options.pluginDirectories = [try exampleModuleFolder()]
        options.modules = ["strings-example"]
        options.outputDirectory = try temporaryFolder("out").path
        options.isolation = false
        options.priority = .normal
        options.resourceLimits.cpuLimit = nil
        options.colour = false
        return options
    }
}
