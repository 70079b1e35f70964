import Foundation
@testable import Host
import TestSupport
import XCTest

/// `--utc` and `--rfc3339`: log-line and file times in local time (THOR's ANSI C form), in UTC, or
/// as RFC 3339 in UTC; and `--truncate`.
final class TimeStyleTests: XCTestCase {
    /// 2023-11-02 09:08:47 UTC; 2020-09-02 17:18:04.5 UTC.
    private let lineTime = Date(timeIntervalSince1970: 1_698_916_127)
    private let fileTime = timespec(tv_sec: 1_599_067_084, tv_nsec: 500_000_000)

    override func setUp() {
        // Half an hour off UTC, no daylight saving: local and UTC cannot agree by accident.
        setenv("TZ", "Asia/Kolkata", 1)
        tzset()
    }

    override func tearDown() {
        unsetenv("TZ")
        tzset()
    }

    func testLineTimes() {
        XCTAssertEqual(TimeStyle.local.lineTimestamp(lineTime), "Nov  2 14:38:47")
        XCTAssertEqual(TimeStyle.utc.lineTimestamp(lineTime), "Nov  2 09:08:47")
        XCTAssertEqual(TimeStyle.rfc3339.lineTimestamp(lineTime), "2023-11-02T09:08:47Z")
    }

    func testFileTimes() {
        XCTAssertEqual(TimeStyle.local.fileTimestamp(fileTime), "Wed Sep  2 22:48:04.500 2020")
        XCTAssertEqual(TimeStyle.utc.fileTimestamp(fileTime), "Wed Sep  2 17:18:04.500 2020")
        XCTAssertEqual(TimeStyle.rfc3339.fileTimestamp(fileTime), "2020-09-02T17:18:04.500Z")
        // The JSON log's own time field: always UTC to the millisecond, whatever the style.
        XCTAssertEqual(JSONEventEncoder.iso8601(Date(timeIntervalSince1970: 1_698_916_127.5)), "2023-11-02T09:08:47.500Z")
    }

    /// The real `thor` (file times are written by the workers, so the style crosses to them).
    func testThorWritesTheChosenTimesInEveryLine() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        let file = try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        var times = [fileTime, fileTime]
        XCTAssertEqual(utimensat(AT_FDCWD, file, &times, 0), 0)
        let expected: [(flags: [String], modified: String, header: String)] = [
            ([], "Wed Sep  2 22:48:04.500 2020", #"^[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d "#),
            (["--utc"], "Wed Sep  2 17:18:04.500 2020", #"^[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d "#),
            (["--rfc3339"], "2020-09-02T17:18:04.500Z", #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "#),
        ]
        for (flags, modified, header) in expected {
            let out = try temporaryFolder("out").path
            let run = try Support.run("/usr/bin/env", ["TZ=Asia/Kolkata", try Support.thorBinary(), "--plugin-dir", plugins,
                                                       "--modules", "strings-example", "-p", tree.path, "-e", out, "--nocolor",
                                                       "--nocpulimit", "--nolowprio", "--nodoublecheck"] + flags)
            XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
            let lines = try ScanLog.lines(in: out, suffix: ".txt")
            let finding = try XCTUnwrap(lines.first { $0.contains(" THOR: Alert: ") }, lines.joined(separator: "\n"))
            XCTAssertTrue(finding.contains(" MODIFIED: \(modified) "), "\(flags): \(finding)")
            XCTAssertTrue(lines.allSatisfy { $0.range(of: header, options: .regularExpression) != nil }, "\(flags): \(lines.joined(separator: "\n"))")
        }
        // Local and UTC line times differ by the zone's offset: the hour is another.
        let out = try temporaryFolder("out").path
        let utc = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out,
                                       "--utc", "--truncate", "12", "--nodoublecheck"])
        let line = try XCTUnwrap(try ScanLog.lines(in: out, suffix: ".txt").first { $0.contains(" THOR: Alert: ") })
        XCTAssertEqual(utc.status, 1)
        XCTAssertTrue(line.contains(" FILE: \(String(file.prefix(12))) EXTENSION: .txt "), "--truncate 12 cuts the path: \(line)")
    }
}
