import Foundation
@testable import Host
import TestSupport
import XCTest

/// A start that fails after workers were spawned retires them: none lives on, unused, beside the
/// process that gave up (a service or scan that reports the error and goes on running).
final class WorkerStartTests: XCTestCase {
    func testAStartRefusedAfterTheWorkersReportedLeavesNoWorker() throws {
        var options = try options()
        // Known only once the first worker said which modules it has: the others were started meanwhile.
        options.modules = ["no-such-module"]
        try assertStartFails(options, with: "unknown module(s): no-such-module")
    }

    func testAWorkerThatCannotLoadItsModulesLeavesNoWorker() throws {
        var options = try options()
        // Each worker fails to read it as its first reports.
        options.pluginDirectories = ["/etc/hostname"]
        try assertStartFails(options, with: "cannot read plugin folder /etc/hostname")
    }

    private func assertStartFails(_ options: ScanOptions, with message: String, line: UInt = #line) throws {
        let scan = try Scan(options: options, program: ProgramFolder(executablePath: try Support.thorBinary()))
        XCTAssertThrowsError(try scan.startWorkers(threads: 3), line: line) { error in
            XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
        }
        XCTAssertEqual(Self.liveWorkers(), [], line: line)
    }

    private func options() throws -> ScanOptions {
        var options = ScanOptions()
        options.outputDirectory = try temporaryFolder("out").path
        options.writeTextLog = false
        return options
    }

    /// Children of this process that run as scan workers (every thread's children, from /proc).
    private static func liveWorkers() -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return children.filter { pid in
            let arguments = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return arguments.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == WorkerMain.argument }
        }.sorted()
    }
}
