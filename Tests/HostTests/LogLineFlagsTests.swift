import Foundation
import TestSupport
import XCTest

/// `--noscanid`, `--scanid-prefix`, `--genid`, `--suppresspi` and `--cmdjson` on real scans with
/// the real `thor` and the example C module.
final class LogLineFlagsTests: XCTestCase {
    private func objects(_ lines: [Substring]) throws -> [[String: Any]] {
        try lines.map { line in try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line)) }
    }

    private func meta(_ object: [String: Any]) -> [String: Any] { object["meta"] as? [String: Any] ?? [:] }

    func testNoScanIDWithUIDsWithoutUserNamesAndJSONOnTheConsole() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("home/alice/notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree.path, "-e", out, "--json",
                                       "--noscanid", "--genid", "--suppresspi", "--cmdjson", "--nodoublecheck"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)

        let text = try ScanLog.lines(in: out, suffix: ".txt")
        let json = try ScanLog.lines(in: out, suffix: ".json")
        for output in [text, json, [run.stdout]] {
            XCTAssertFalse(output.contains { $0.contains("alice") }, output.joined(separator: "\n"))
            XCTAssertFalse(output.contains { $0.contains("SCANID") || $0.contains("scan_id") }, output.joined(separator: "\n"))
        }
        let uids = try text.map { line in
            let uid = try XCTUnwrap(line.range(of: " UID: ").map { String(line[$0.upperBound...].prefix { $0 != " " }) }, line)
            XCTAssertEqual(uid.count, 16, line)
            return uid
        }
        let finding = try XCTUnwrap(text.first { $0.contains("MESSAGE: Malware file found ") }, text.joined(separator: "\n"))
        XCTAssertTrue(finding.contains(" THOR: Alert: MODULE: Filescan UID: "), finding)
        XCTAssertTrue(finding.contains(" FILE: \(tree.path)/home/ANONYMIZED_BY_THOR/notes.txt "), finding)
        XCTAssertTrue(finding.contains(" OWNER: ANONYMIZED_BY_THOR "), finding)

        // The JSON log and the console carry the same events with the same UIDs, in order.
        let logged = try objects(json.map { Substring($0) })
        XCTAssertEqual(logged.map { meta($0)["uid"] as? String }, uids)
        let console = try objects(run.stdout.split(separator: "\n"))
        XCTAssertEqual(console.map { meta($0)["uid"] as? String }, uids)
        let consoleFinding = try XCTUnwrap(console.first { $0["type"] as? String == "THOR finding" })
        XCTAssertEqual((consoleFinding["subject"] as? [String: Any])?["path"] as? String, "\(tree.path)/home/ANONYMIZED_BY_THOR/notes.txt")
        XCTAssertEqual((consoleFinding["subject"] as? [String: Any])?["owner"] as? String, "ANONYMIZED_BY_THOR")
    }

    func testScanIDPrefix() throws {
        let tree = try temporaryFolder("tree")
        try tree.write("clean.txt", "nothing\n")
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--modules", "ioc", "-p", tree.path, "-e", out, "--scanid-prefix", "HQ-", "--nodoublecheck"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let text = try ScanLog.lines(in: out, suffix: ".txt")
        let ids = Set(text.compactMap { line in line.range(of: " SCANID: ").map { String(line[$0.upperBound...].prefix { $0 != " " }) } })
        XCTAssertEqual(ids.count, 1, text.joined(separator: "\n"))
        let id = try XCTUnwrap(ids.first)
        XCTAssertTrue(id.hasPrefix("HQ-") && id.count == 14, id)
        XCTAssertEqual(text.filter { $0.contains(" SCANID: \(id) ") }.count, text.count)
    }

    func testScanIDFlagsThatCannotBeMet() throws {
        for (arguments, message) in [(["--scanid", "S-a", "--noscanid"], "--scanid and --noscanid exclude each other"),
                                     (["--scanid", "S a"], "--scanid must not contain spaces or control characters"),
                                     (["--scanid-prefix", "a\tb"], "--scanid-prefix must not contain spaces or control characters"),
                                     (["--cmdjson", "--cmdkeyval"], "--cmdkeyval and --cmdjson exclude each other")] {
            let run = try Support.runThor(arguments + ["-p", "/nonexistent"])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }
}
