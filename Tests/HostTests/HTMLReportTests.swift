import Foundation
import TestSupport
import XCTest
@testable import Host

/// THOR's HTML report: written at the end of a scan beside the text log, every value escaped.
final class HTMLReportTests: XCTestCase {
    /// The rows of one section of `html` (`error`, `alert`, `warning`, `notice`, `info`).
    private func rows(_ html: String, section: String) -> [Substring] {
        guard let start = html.range(of: "id=\"section-\(section)\"") else { return [] }
        let rest = html[start.upperBound...]
        let table = rest[..<(rest.range(of: "</table>")?.lowerBound ?? rest.endIndex)]
        return table.split(separator: "\n").filter { $0.hasPrefix("<tr class=\"event\">") }
    }

    private func report(in folder: String) throws -> String {
        let reports = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".html") }
        XCTAssertEqual(reports.count, 1, "\(reports)")
        return try String(contentsOfFile: folder + "/" + (reports.first ?? ""), encoding: .utf8)
    }

    func testReportOfAScanWithEscapedValues() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        try tree.write("tools/run.ps1", "powershell Invoke-Mimikatz -DumpCreds\n")
        try tree.write("<img src=x onerror=alert(1)>.txt", "sekurlsa::logonpasswords\n")
        try tree.write("clean.txt", "nothing to see\n")
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out,
                                       "--scanid", "S-testtesttes", "--nodoublecheck"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)

        let html = try report(in: out)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</body></html>\n"))
        XCTAssertEqual(rows(html, section: "error").count, 0)
        XCTAssertEqual(rows(html, section: "alert").count, 2, html)
        XCTAssertEqual(rows(html, section: "warning").count, 1, html)
        // The summary line is the one Notice line; no Info section without --include-info-in-html.
        XCTAssertEqual(rows(html, section: "notice").map { $0.contains("<td>Thor Scan finished</td>") }, [true])
        XCTAssertFalse(html.contains("id=\"section-info\""))
        XCTAssertTrue(html.contains(#"<tr><td id="alerts">2</td><td id="warnings">1</td><td id="notices">0</td><td id="errors">0</td></tr>"#), html)
        XCTAssertTrue(html.contains("<tr><td>Filescan</td><td>0</td><td>2</td><td>1</td><td>0</td></tr>"), html)

        XCTAssertTrue(html.contains("<tr><th>Scan ID</th><td>S-testtesttes</td></tr>"))
        XCTAssertTrue(html.contains("<tr><th>Version</th><td>\(HostTable.version)</td></tr>"))
        XCTAssertTrue(html.contains("<tr><th>Files Scanned</th><td>4</td></tr>"), html)
        let log = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".txt") })
        XCTAssertTrue(html.contains("<tr><th>Log File Name</th><td>\(out)/\(log)</td></tr>"), html)

        // The file name the scanned system chose is shown, not run.
        XCTAssertFalse(html.contains("<img"))
        let alert = try XCTUnwrap(rows(html, section: "alert").first { $0.contains("onerror") })
        XCTAssertTrue(alert.contains("<span class=\"k\">FILE:</span> \(tree.path)/&lt;img src=x onerror=alert(1)&gt;.txt "), String(alert))
        XCTAssertTrue(alert.contains(#"<span class="k">MATCHED_1:</span> $s: &quot;sekurlsa::logonpasswords&quot; at 0x0 "#), String(alert))
        // Neither the spooled rows nor a half-written report stay behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(),
                       [log, log.replacingOccurrences(of: ".txt", with: ".html"), ScanIdentity.hostname() + "_files_md5s.csv"].sorted())
    }

    func testReportFlags() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        let scan = { (flags: [String]) throws -> (Support.Run, [String], String) in
            let out = try self.temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out, "--nodoublecheck"] + flags)
            return (run, try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".html") }, out)
        }
        for flags in [["--nohtml"], ["--nolog"]] {
            let (run, reports, _) = try scan(flags)
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertEqual(reports, [], "\(flags)")
        }
        let (run, reports, out) = try scan(["--htmlfile", "report-:hostname:.html", "--include-info-in-html"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(reports, ["report-\(ScanIdentity.hostname()).html"])
        let html = try report(in: out)
        XCTAssertEqual(rows(html, section: "info").filter { $0.contains("<td>Scanning path</td>") }.count, 1, html)

        let refused = try scan(["--htmlfile", "/nonexistent-folder/report.html"])
        XCTAssertEqual(refused.0.status, 3, refused.0.stderr)
        XCTAssertTrue(refused.0.stderr.contains("cannot write the HTML report's rows in /nonexistent-folder"), refused.0.stderr)
        // A scan that cannot start leaves no half set of logs behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: refused.2), [])
        let both = try Support.runThor(["--nohtml", "--htmlfile", "x.html", "-p", tree.path])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--htmlfile and --nohtml exclude each other"), both.stderr)
    }

    /// Rows go through the spool files in 64 KiB writes and all come back, in order.
    func testManyRowsAreSpooledAndAllWritten() throws {
        let folder = try temporaryFolder("report").path
        let sink = try HTMLReportSink(path: folder + "/r.html", context: LogContext(hostname: "h", scanID: "S-x"), includeInfo: false)
        for i in 0..<20_000 {
            sink.write(.message(LogMessage(time: Date(), level: i % 2 == 0 ? .warning : .info, module: "M\(i % 3)",
                                           message: "line \(i)", fields: [("N", String(i))])))
        }
        let information = ScanInformation(version: "1", hostname: "h", arguments: ["thor"], signatureDatabase: "", start: Date(), end: Date(),
                                          logFiles: [], falsePositiveFilters: nil, scanID: "S-x", filesScanned: 0)
        try sink.writeReport(information, counts: Reporter.Counts())
        sink.close()
        let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
        let warnings = rows(html, section: "warning")
        XCTAssertEqual(warnings.count, 10_000)
        XCTAssertTrue(warnings.enumerated().allSatisfy { $0.element.contains("<td>line \($0.offset * 2)</td>") })
        XCTAssertTrue(html.contains("<tr><td>M0</td><td>0</td><td>0</td><td>3334</td><td>0</td></tr>"), String(html.prefix(3000)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["r.html"])
    }
}
