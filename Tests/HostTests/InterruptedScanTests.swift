import Foundation
@testable import Host
import TestSupport
import XCTest

/// A scan stopped before its end (Ctrl-C, SIGTERM, a resource limit) is not reported clean.
final class InterruptedScanTests: XCTestCase {
    func testAStoppedScanEndsWithAnErrorNotClean() throws {
        let (scan, out) = try scan(files: 10)
        scan.interrupted.set()
        XCTAssertEqual(try scan.run(), .errors)
        let lines = try ScanLog.lines(in: out, suffix: ".txt")
        XCTAssertEqual(lines.filter { $0.contains("Scan stopped before its end: files not reached by then were not scanned") }.count, 1, "\(lines)")
        let summary = try XCTUnwrap(lines.last)
        XCTAssertTrue(summary.contains("Thor Scan finished") && summary.contains(" ERRORS: 1 ") && summary.contains(" FILES: 0 "), summary)
    }

    func testTheSameScanRunToItsEndIsClean() throws {
        let (scan, out) = try scan(files: 10)
        XCTAssertEqual(try scan.run(), .clean)
        let lines = try ScanLog.lines(in: out, suffix: ".txt")
        XCTAssertFalse(lines.contains { $0.contains("Scan stopped before its end") })
        let summary = try XCTUnwrap(lines.last)
        XCTAssertTrue(summary.contains(" ERRORS: 0 ") && summary.contains(" FILES: 10 "), summary)
    }

    /// No modules, in this process, at normal priority: only the walk and the summary are under test.
    private func scan(files: Int) throws -> (Scan, String) {
        let tree = try temporaryFolder("tree")
        for i in 0..<files { try tree.write("f\(i).txt", "file \(i)\n") }
        var options = ScanOptions()
        options.paths = [tree.path]
        options.outputDirectory = try temporaryFolder("out").path
        options.modules = []
        options.isolation = false
        options.priority = .normal
        options.resourceLimits.cpuLimit = nil
        options.colour = false
        return (try Scan(options: options, program: ProgramFolder(executablePath: try Support.thorBinary())), options.outputDirectory)
    }
}
