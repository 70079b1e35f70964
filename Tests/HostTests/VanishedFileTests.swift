import Foundation
@testable import Host
import TestSupport
import XCTest

/// A walked file deleted before its turn (temporary files on a live system) is an Info line, not
/// an error of the scan; a submitted sample that is gone is an error.
final class VanishedFileTests: XCTestCase {
    private final class Collector: LogSink {
        var messages: [LogMessage] = []
        func write(_ event: LogEvent) { if case .message(let m) = event { messages.append(m) } }
        func close() {}
    }

    func testAVanishedWalkedFileIsNoErrorButAVanishedSampleIs() throws {
        var options = ScanOptions()
        options.modules = []
        options.writeTextLog = false
        options.outputDirectory = try temporaryFolder("out").path
        let scan = try Scan(options: options, program: ProgramFolder(executablePath: try Support.thorBinary()))
        let collector = Collector()
        let reporter = Reporter(scoring: Scoring(), sinks: [collector])
        let engine = try ScanEngine(config: scan.engineConfig, reporter: reporter)
        defer { engine.finish() }
        let scanner = engine.makeScanner()
        let gone = try temporaryFolder("tree").path + "/gone.tmp"

        XCTAssertFalse(scanner.scan(WorkItem(path: gone)).examined)
        let walked = try XCTUnwrap(collector.messages.last)
        XCTAssertEqual(walked.level, .info)
        XCTAssertEqual(walked.message, "File vanished before it was scanned")
        XCTAssertEqual(walked.fields.map { "\($0.key)=\($0.value)" }, ["FILE=\(gone)"])
        XCTAssertEqual(reporter.currentCounts.errors, 0)

        XCTAssertFalse(scanner.scan(WorkItem(path: gone, displayPath: "sample.bin", source: "client")).examined)
        let sample = try XCTUnwrap(collector.messages.last)
        XCTAssertEqual(sample.level, .error)
        XCTAssertEqual(sample.message, "Cannot open file")
        XCTAssertEqual(sample.fields.map { "\($0.key)=\($0.value)" }, ["FILE=sample.bin", "ERROR=No such file or directory"])
        XCTAssertEqual(reporter.currentCounts.errors, 1)
    }
}
