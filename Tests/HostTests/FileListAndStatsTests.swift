import Foundation
import TestSupport
import XCTest
@testable import Host

/// The CSV of reported files (`-o/--csvfile`, `--nocsv`) and the statistics line (`--stats-file`).
final class FileListAndStatsTests: XCTestCase {
    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testReportedFilesAndStatisticsAreAppendedPerScan() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        try tree.write("tools/run.ps1", "powershell Invoke-Mimikatz -DumpCreds\n")
        try tree.write(#"a,"b".txt"#, "sekurlsa::logonpasswords\n")
        try tree.write("clean.txt", "nothing to see\n")
        let out = try temporaryFolder("out").path
        let arguments = ["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out, "--stats-file", "stats.csv", "--nodoublecheck"]
        let run = try Support.runThor(arguments)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)

        let csv = out + "/" + ScanIdentity.hostname() + "_files_md5s.csv"
        var expected: [String] = []
        for (name, score) in [("notes.txt", 85), ("tools/run.ps1", 80), (#"a,"b".txt"#, 85)] {
            let md5 = try ChildProcess.digest("md5sum", of: tree.path + "/" + name)
            let path = tree.path + "/" + name
            // A name with a comma or quote is quoted, its quotes doubled: it cannot add a column.
            let field = path.contains(",") ? "\"" + path.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : path
            expected.append("\(md5),\(field),\(score)")
        }
        XCTAssertEqual(try lines(csv).sorted(), expected.sorted())

        let stats = try lines(out + "/stats.csv")
        XCTAssertEqual(stats.count, 1)
        let fields = stats[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(fields.count, 9, stats[0])
        XCTAssertEqual(fields[0], ScanIdentity.hostname())
        for time in fields[1...2] {
            XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"#, options: .regularExpression), time)
        }
        XCTAssertEqual(fields[3], HostTable.version)
        XCTAssertTrue(fields[4].hasPrefix("--plugin-dir \(plugins) --modules strings-example -p \(tree.path) -e \(out) --stats-file stats.csv"), fields[4])
        XCTAssertEqual(Array(fields[5...]), ["2", "1", "0", "0"])

        // A second scan adds its lines to both files.
        XCTAssertEqual(try Support.runThor(arguments).status, 1)
        XCTAssertEqual(try lines(csv).sorted(), (expected + expected).sorted())
        XCTAssertEqual(try lines(out + "/stats.csv").count, 2)
    }

    func testWhenTheCSVIsWritten() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        let csvs = { (flags: [String]) throws -> [String] in
            let out = try self.temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out, "--nodoublecheck"] + flags)
            XCTAssertEqual(run.status, 1, "\(flags): \(run.stderr)")
            return try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".csv") }
        }
        XCTAssertEqual(try csvs(["--nocsv"]), [])
        XCTAssertEqual(try csvs(["--nolog"]), [])
        XCTAssertEqual(try csvs(["--nolog", "-o", "list-:hostname:.csv"]), ["list-\(ScanIdentity.hostname()).csv"])
        let both = try Support.runThor(["--nocsv", "--csvfile", "x.csv", "-p", tree.path])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--csvfile and --nocsv exclude each other"), both.stderr)
    }

    /// A scan that cannot start (a syslog server that does not resolve) removes the outputs it
    /// made, but not a CSV of earlier scans that it would have appended to.
    func testAFailedStartKeepsTheCSVOfEarlierScans() throws {
        let tree = try temporaryFolder("tree").path
        let out = try temporaryFolder("out").path
        let arguments = ["-p", tree, "-e", out, "--modules", "ioc", "-s", "no-such-host.invalid", "--nodoublecheck"]
        let fresh = try Support.runThor(arguments)
        XCTAssertEqual(fresh.status, 3, fresh.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [])
        let csv = out + "/" + ScanIdentity.hostname() + "_files_md5s.csv"
        try "d41d8cd98f00b204e9800998ecf8427e,/earlier/scan,90\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let again = try Support.runThor(arguments)
        XCTAssertEqual(again.status, 3, again.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [(csv as NSString).lastPathComponent])
        XCTAssertEqual(try lines(csv), ["d41d8cd98f00b204e9800998ecf8427e,/earlier/scan,90"])
    }

    /// `--version` and `--list-plugins` load the modules as a scan would, and write no file.
    func testRunsThatScanNothingWriteNoFiles() throws {
        let cwd = try temporaryFolder("cwd").path
        for flag in ["--version", "--list-plugins"] {
            let run = try Support.runThor([flag], cwd: cwd)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd), [], flag)
        }
    }

    /// -l names the text log; a second scan replaces it, or continues it with --appendlog (THOR's).
    func testNamedLogIsReplacedUnlessAppended() throws {
        let tree = try temporaryFolder("tree").path
        let out = try temporaryFolder("out").path
        let arguments = ["-p", tree, "-e", out, "--modules", "ioc", "-l", "run-:hostname:.txt", "--json", "--jsonfile", "run.json", "--nodoublecheck"]
        let log = out + "/run-" + ScanIdentity.hostname() + ".txt"
        let starts = { (path: String) throws -> Int in try self.lines(path).filter { $0.contains("Thor scan starting") }.count }
        for (extra, expected) in [([String](), 1), ([], 1), (["--appendlog"], 2)] {
            let run = try Support.runThor(arguments + extra)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(try starts(log), expected, "\(extra)")
            XCTAssertEqual(try starts(out + "/run.json"), expected, "\(extra)")
        }
        let both = try Support.runThor(["-p", tree, "--nolog", "-l", "x.txt"])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--logfile and --nolog exclude each other"), both.stderr)
    }
}
