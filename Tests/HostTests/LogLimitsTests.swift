import Foundation
@testable import Host
import TestSupport
import XCTest

/// THOR's log-flood safety: `--max_log_lines` lines per log file (the file then says the rest is
/// skipped), and `--max-log-size`: reduced logging (Notice, Warning, Alert) from 15/16 of the size
/// of the largest output, the scan stopped at the size.
final class LogLimitsTests: XCTestCase {
    private let context = LogContext(hostname: "host", scanID: "S-testtesttes")

    private func info(_ n: Int) -> LogEvent {
        .message(LogMessage(time: Date(timeIntervalSince1970: 0), level: .info, module: "Test", message: String(format: "info %03d", n), fields: []))
    }

    private func message(_ level: Level, _ text: String) -> LogEvent {
        .message(LogMessage(time: Date(timeIntervalSince1970: 0), level: level, module: "Test", message: text, fields: []))
    }

    func testAFileTakesItsLinesThenSaysTheRestIsSkipped() throws {
        let path = try temporaryFolder().path + "/log.txt"
        let sink = try FileLogSink.text(path: path, context: context, maxLines: 3)
        for n in 1...5 { sink.write(info(n)) }
        sink.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.prefix(3).map { $0.components(separatedBy: "MESSAGE: ").last }, ["info 001", "info 002", "info 003"])
        XCTAssertTrue(lines[3].hasSuffix(" THOR: Warning: MODULE: LogControl SCANID: S-testtesttes MESSAGE: Log line limit reached: "
            + "later lines are not written to this file (--max_log_lines) LIMIT: 3"), lines[3])
        XCTAssertEqual(sink.skippedLines, 2)
        XCTAssertEqual(sink.reachedLineLimit, 3)
        XCTAssertEqual(sink.bytesWritten, Int64(lines.map { $0.utf8.count + 1 }.reduce(0, +)))
    }

    func testAFileWithinItsLimitSaysNothing() throws {
        let path = try temporaryFolder().path + "/log.json"
        let sink = try FileLogSink.json(path: path, context: context, maxLines: 3)
        for n in 1...3 { sink.write(info(n)) }
        sink.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 3)
        XCTAssertEqual(sink.skippedLines, 0)
        XCTAssertNil(sink.reachedLineLimit)
    }

    func testAFloodIsReducedThenStopped() throws {
        let path = try temporaryFolder().path + "/log.txt"
        let sink = try FileLogSink.text(path: path, context: context)
        let reporter = Reporter(scoring: Scoring(), sinks: [sink])
        reporter.emit(info(0))
        let infoLine = sink.bytesWritten
        // Reduced logging from 60 info lines on, the stop at 64 lines' worth.
        var stops = 0
        reporter.limitOutput(to: 64 * infoLine) { stops += 1 }
        for n in 1...70 { reporter.emit(info(n)) }
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 61, "info 000-059, then the switch")
        XCTAssertEqual(lines[59].components(separatedBy: "MESSAGE: ").last, "info 059")
        XCTAssertTrue(lines[60].hasSuffix(" THOR: Warning: MODULE: LogControl SCANID: S-testtesttes MESSAGE: Log output is close to its limit: "
            + "only Notices, Warnings and Alerts are written from now on LIMIT: \(64 * infoLine) bytes"), lines[60])
        reporter.emit(message(.error, "an error, counted not written"))
        XCTAssertEqual(reporter.currentCounts.errors, 1)
        XCTAssertEqual(stops, 0)

        // Notices are written until the output reaches the limit.
        let switchLine = sink.bytesWritten - 60 * infoLine
        var notices = 0
        while stops == 0 && notices < 100 {
            reporter.emit(message(.notice, "a notice"))
            notices += 1
        }
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let noticeLine = Int64(lines[61].utf8.count + 1)
        let expected = (4 * infoLine - switchLine + noticeLine - 1) / noticeLine
        XCTAssertEqual(Int64(notices), expected)
        XCTAssertEqual(stops, 1)
        XCTAssertEqual(lines.count, 61 + notices + 1)
        XCTAssertTrue(lines.last!.hasSuffix(" THOR: Error: MODULE: LogControl SCANID: S-testtesttes MESSAGE: Log output reached its limit: "
            + "stopping the scan (--max-log-size) LIMIT: \(64 * infoLine) bytes"), lines.last!)
        XCTAssertEqual(reporter.currentCounts.errors, 2, "the stop is an error of the scan")

        // What the stopped scan still says (its summary is a Notice) is written; the stop is not repeated.
        reporter.emit(message(.notice, "the summary"))
        reporter.emit(info(41))
        XCTAssertEqual(stops, 1)
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last!.components(separatedBy: "MESSAGE: ").last, "the summary")
    }

    func testTheLargestOutputCountsNotTheirSum() throws {
        let folder = try temporaryFolder().path
        let text = try FileLogSink.text(path: folder + "/log.txt", context: context)
        let json = try FileLogSink.json(path: folder + "/log.json", context: context)
        let reporter = Reporter(scoring: Scoring(), sinks: [text, json])
        reporter.emit(info(0))
        let largest = max(text.bytesWritten, json.bytesWritten)
        var stops = 0
        reporter.limitOutput(to: 16 * largest) { stops += 1 }
        for n in 1...13 { reporter.emit(info(n)) }
        XCTAssertGreaterThan(text.bytesWritten + json.bytesWritten, 15 * largest, "their sum is above 15/16 of the limit")
        XCTAssertEqual(try String(contentsOfFile: folder + "/log.txt", encoding: .utf8).split(separator: "\n").count, 14,
                       "14 lines of the larger output: below 15/16 of the limit, nothing reduced")
        reporter.emit(info(14))
        XCTAssertEqual(try String(contentsOfFile: folder + "/log.txt", encoding: .utf8).split(separator: "\n").count, 16,
                       "the 15th line of the larger output reaches 15/16: the switch is written")
        XCTAssertEqual(stops, 0)
    }

    /// A scan whose findings flood the log: reduced, then stopped early; the summary is still written.
    func testAFloodingScanStopsWithItsSummary() throws {
        let tree = try alertingTree(files: 300)
        var options = try exampleModuleScanOptions(tree: tree.path)
        options.logLimits.maxOutputBytes = 16 << 10
        XCTAssertEqual(try Scan(options: options).run(), .errors)
        let lines = try ScanLog.lines(in: options.outputDirectory, suffix: ".txt")
        let reduced = try XCTUnwrap(lines.firstIndex { $0.contains("MESSAGE: Log output is close to its limit") }, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains("MESSAGE: Log output is close to its limit") }.count, 1)
        XCTAssertEqual(lines.filter { $0.contains(" THOR: Error: MODULE: LogControl ") && $0.contains("MESSAGE: Log output reached its limit: stopping the scan") }.count, 1)
        XCTAssertFalse(lines[reduced...].contains { $0.contains(" THOR: Info: ") }, "no Info after the switch")
        let end = try XCTUnwrap(lines.last)
        XCTAssertTrue(end.contains("MESSAGE: Thor Scan finished ") && end.contains(" ERRORS: 2 "), end)
        let files = try XCTUnwrap(end.components(separatedBy: " FILES: ").last?.split(separator: " ").first.flatMap { Int($0) })
        XCTAssertLessThan(files, 300, "the stop ended the walk early")
        let alerts = lines.filter { $0.contains(" THOR: Alert: ") }.count
        XCTAssertTrue(end.contains(" ALERTS: \(alerts) "), "every Alert scanned was written: \(alerts)\n\(end)")
    }

    /// Under a file size limit (ulimit -f) the scan warns at start, and the log lines beyond the
    /// limit are reported lost at the end (a write beyond it raised SIGXFSZ, which ended the scan
    /// without its summary).
    func testAScanUnderAFileSizeLimitEndsWithItsSummary() throws {
        let plugins = try exampleModuleFolder()
        let tree = try alertingTree(files: 100)
        let out = try temporaryFolder("out").path
        // POSIX shells count `ulimit -f` in blocks of 512 bytes: 16 KiB.
        let run = try Support.run("/bin/sh", ["-c", #"ulimit -f 32 && exec "$@""#, "sh", try Support.thorBinary(), "--plugin-dir", plugins,
                                              "--modules", "strings-example", "-p", tree.path, "-e", out, "--nocolor", "--nocpulimit",
                                              "--nolowprio", "--nodoublecheck"])
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: File size limit (ulimit -f): log lines and uploaded samples beyond it are lost LIMIT: 16384 bytes"),
                      run.stdout)
        let lines = try ScanLog.lines(in: out, suffix: ".txt")
        let written = lines.filter { $0.contains(" THOR: Alert: ") }.count
        XCTAssertLessThan(written, 100)
        let console = run.stdout.split(separator: "\n").map(String.init)
        let lost = try XCTUnwrap(console.first { $0.contains("MESSAGE: Log lines could not be written") }, run.stdout)
        XCTAssertTrue(lost.hasSuffix("ERROR: File too large"), lost)
        XCTAssertTrue(console.contains { $0.contains("MESSAGE: Thor Scan finished") && $0.contains(" ALERTS: 100 ") }, run.stdout)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out)[0]))[.size] as? Int)
        XCTAssertLessThanOrEqual(size, 16384)
    }

    /// The real `thor` with the example module: the line limit on both logs, and the console and
    /// the summary say which file skipped how many lines.
    func testThorWritesTheLineLimitIntoBothLogs() throws {
        let plugins = try exampleModuleFolder()
        let tree = try alertingTree(files: 5)
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out, "--json",
                                       "--max_log_lines", "4", "--nodoublecheck"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        for suffix in [".txt", ".json"] {
            let lines = try ScanLog.lines(in: out, suffix: suffix)
            XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
            XCTAssertTrue(lines[4].contains("Log line limit reached: later lines are not written to this file (--max_log_lines)"), lines[4])
        }
        let report = try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.contains("Log line limit reached: later lines were not written") },
                                   run.stdout)
        XCTAssertTrue(report.contains(" LIMIT: 4 SKIPPED: "), String(report))
        XCTAssertTrue(run.stdout.contains(" ALERTS: 5 "), run.stdout)

        let refused = try Support.runThor(["-p", tree.path, "--max_log_lines", "-1"])
        XCTAssertEqual(refused.status, 64, "a usage error")
        XCTAssertTrue(refused.stderr.contains("--max_log_lines must not be negative"), refused.stderr)
    }

    /// `files` files each of which the example module reports as an Alert.
    private func alertingTree(files: Int) throws -> TemporaryFolder {
        let tree = try temporaryFolder("tree")
        for n in 1...files { try tree.write("dump\(n).txt", "mimikatz # sekurlsa::logonpasswords\n") }
        return tree
    }
}
