import TestSupport
import XCTest
@testable import Host

/// Low memory and the runtime limit end the scan with THOR's messages; CPU use is measured right.
final class ResourceControlTests: XCTestCase {
    private func hangingTree() throws -> (plugins: String, tree: String) {
        let plugins = try temporaryFolder("plugins").path
        try CModule.build(CModule.faultModuleSource, named: "fault", into: plugins)
        let tree = try temporaryFolder("tree")
        try tree.write("a-hang.txt", "FAULT:loop")
        for i in 0..<50 { try tree.write("b\(i).txt", "plain \(i)") }
        return (plugins, tree.path)
    }

    func testLowMemoryStopsTheScanAndNamesTheTopConsumers() throws {
        let (plugins, tree) = try hangingTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", tree, "--nolog",
                                       "--object-timeout", "3", "--minmem", "100000000"])
        XCTAssertEqual(run.status, 2, run.stdout)
        XCTAssertTrue(run.stdout.contains("Warning: MODULE: Rescontrol SCANID: "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Available physical memory dropped below 100000000 MB AVAILABLE: "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Stopping THOR scan in order to avoid a memory outage (use --norescontrol to avoid this)\n"), run.stdout)
        let consumers = run.stdout.split(separator: "\n").filter { $0.hasPrefix("Notice: MODULE: Rescontrol ") && $0.contains("MESSAGE: Process with high memory usage PID: ") }
        XCTAssertEqual(consumers.count, 3, run.stdout)
        XCTAssertTrue(consumers.allSatisfy { $0.contains(" MEMORY_USAGE: ") && $0.hasSuffix("%") }, run.stdout)
        // The scan ended early: the end line counts fewer than the 51 files of the tree.
        let files = run.stdout.components(separatedBy: " FILES: ").dropFirst().last.flatMap { Int($0.prefix { $0.isNumber }) }
        XCTAssertLessThan(try XCTUnwrap(files, run.stdout), 51)
    }

    func testRuntimeLimitStopsTheScan() throws {
        let (plugins, tree) = try hangingTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", tree, "--nolog",
                                       "--object-timeout", "4", "--max_runtime", "0.0003"])
        XCTAssertEqual(run.status, 2, run.stdout)
        XCTAssertTrue(run.stdout.contains("Error: MODULE: RuntimeWatcher SCANID: "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Maximum runtime has exceeded, killing THOR MAX_RUNTIME: 1s LAST_ELEMENT: "), run.stdout)
    }

    func testNoResourceControlKeepsScanning() throws {
        let (plugins, tree) = try hangingTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", tree, "--nolog",
                                       "--object-timeout", "1", "--minmem", "100000000", "--norescontrol"])
        XCTAssertFalse(run.stdout.contains("Rescontrol"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" FILES: 51 "), run.stdout) // all, the hanging one retried without its module
    }

    func testCPUPercentBetweenSamples() {
        let a = SystemLoad.CPUSample(busy: 100, total: 1000)
        let b = SystemLoad.CPUSample(busy: 400, total: 1400)
        XCTAssertEqual(SystemLoad.cpuPercent(from: a, to: b), 75, accuracy: 1e-9)
        XCTAssertEqual(SystemLoad.cpuPercent(from: b, to: b), 0)
        XCTAssertNotNil(SystemLoad.cpuSample())
        XCTAssertGreaterThan(SystemLoad.availableMemoryMB() ?? 0, 0)
    }
}
