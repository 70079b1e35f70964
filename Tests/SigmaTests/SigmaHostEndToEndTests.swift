import Foundation
import TestSupport
import XCTest

/// SigmaHQ regression EVTX files scanned by the real `thor` with the evtx and sigma modules: the exact
/// findings, THOR's sub-score per level (low 40, medium 50, high 70, critical 100) and the minimum level.
final class SigmaHostEndToEndTests: XCTestCase {
    private var tree = "", custom = ""

    /// Regression EVTX (one record each) and the rules pySigma found on them (matches.jsonl):
    /// cmdkey: Cmdkey recon (high), Local Accounts Discovery (low); eula: renamed Sysinternals (high),
    /// Sysinternals tools (medium), Sysinternal tool (low); logon: explicit credential logon (medium).
    static let files = [
        "cmdkey.evtx": "process_creation/proc_creation_win_cmdkey_recon/07f8bdc2-c9b3-472a-9817-5a670b872f53.evtx",
        "eula.evtx": "registry/registry_set/registry_set_pua_sysinternals_renamed_execution_via_eula/f50f3c09-557d-492d-81db-9064a8d4e211.evtx",
        "logon.evtx": "builtin/security/win_security_explicit_credential_local_logon/e3c6d245-7b8f-4e2a-c17f-a9d0e5b38f62.evtx",
    ]

    /// No corpus rule is critical and fires on these files, so the test adds one (a custom rule folder). It
    /// asks for `UserID`, which the evtx module calls `Security_UserID`: it fires only through the sigma
    /// module's EVTX field mapping.
    static let criticalRule = """
    title: Cmdkey Listing Credentials (test rule)
    id: 5b0c4a0e-2d6f-4c1a-9a57-000000000001
    status: test
    description: A critical rule of the end-to-end test, on the cmdkey regression event
    author: thor tests
    date: 2026-11-29
    logsource:
        category: process_creation
        product: windows
    detection:
        selection:
            Image|endswith: '\\cmdkey.exe'
            CommandLine|contains: '/list'
            UserID: 'S-1-5-18'
        condition: selection
    level: critical
    """

    override func setUpWithError() throws {
        try CorpusPaths.requireCorpus()
        tree = try temporaryFolder("sigma-e2e-tree").path
        custom = try temporaryFolder("sigma-e2e-custom").path
        for (name, source) in SigmaHostEndToEndTests.files {
            try FileManager.default.copyItem(atPath: CorpusPaths.regressionData + "/rules/windows/" + source, toPath: tree + "/" + name)
        }
        try SigmaHostEndToEndTests.criticalRule.write(toFile: custom + "/critical_cmdkey.yml", atomically: true, encoding: .utf8)
    }

    /// One line per finding: `file score [rule sub-score, ...]`, with the module and kind checked on the way.
    private func scan(_ extra: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (summary: [String], scan: ThorBinary.Scan) {
        let out = try temporaryFolder("sigma-e2e-out").path
        let result = try ThorBinary.scan(["--modules", "evtx,sigma", "--sigma-dir", CorpusPaths.sigmaRules + ";" + custom,
                                          "-p", tree, "--max-reasons", "0"] + extra, outputDir: out)
        var summary: [String] = []
        for finding in result.findings {
            let meta = finding["meta"] as? [String: Any] ?? [:]
            XCTAssertEqual(meta["module"] as? String, "Eventlog", file: file, line: line)
            let subject = finding["subject"] as? [String: Any] ?? [:]
            let path = subject["path"] as? String ?? ""
            let reasons = (finding["reasons"] as? [[String: Any]] ?? []).map { r -> String in
                let sig = r["signature"] as? [String: Any] ?? [:]
                XCTAssertEqual(sig["kind"] as? String, "Sigma Rule", file: file, line: line)
                return "\(sig["rule_name"] as? String ?? "?") \(sig["score"] as? Int ?? -1)"
            }
            XCTAssertEqual(finding["reason_count"] as? Int, reasons.count, file: file, line: line)
            summary.append("\(path.replacingOccurrences(of: tree + "/", with: "")) \(meta["level"] as? String ?? "") "
                           + "\(finding["score"] as? Int ?? -1) [\(reasons.joined(separator: ", "))]")
        }
        return (summary, result)
    }

    // Rule counts include the 12 rules of Signatures/sigma (10 high, 1 medium, 1 low), loaded from the
    // program folder beside the corpus rules; none of them fires on these three events.
    func testDefaultMinimumLevelIsHigh() throws {
        let (summary, result) = try scan([])
        XCTAssertTrue(result.console.contains("Sigma: 461 rules loaded, 0 skipped, 420 below minimum level high"), result.console)
        XCTAssertEqual(summary, [
            "cmdkey.evtx|1 Alert 100 [Cmdkey Listing Credentials (test rule) 100, Potential Reconnaissance For Cached Credentials Via Cmdkey.EXE 70]",
            "eula.evtx|1 Warning 70 [Suspicious Execution Of Renamed Sysinternals Tools - Registry 70]",
        ])
        // The subject is the event with the evtx module's field names; the reason names the rule's fields.
        let cmdkey = result.findings[0]
        let fields = (cmdkey["subject"] as? [String: Any])?["fields"] as? [String: Any] ?? [:]
        XCTAssertEqual(fields["EventRecordID"] as? String, "8581967")
        XCTAssertEqual(fields["CommandLine"] as? String, "cmdkey  /list")
        XCTAssertEqual(fields["Security_UserID"] as? String, "S-1-5-18")
        let reasons = cmdkey["reasons"] as? [[String: Any]] ?? []
        let matched = reasons.map { r in (r["matched"] as? [[String: Any]] ?? []).map { "\($0["field"] ?? "")=\(($0["data"] as? [String: Any])?["data"] ?? "")" } }
        XCTAssertEqual(matched, [
            ["UserID=S-1-5-18", "Image=C:\\Windows\\System32\\cmdkey.exe", "CommandLine=cmdkey  /list"],
            ["Image=C:\\Windows\\System32\\cmdkey.exe", "OriginalFileName=cmdkey.exe", "CommandLine=cmdkey  /list"],
        ])
    }

    func testIntenseLowersTheMinimumToMedium() throws {
        let (summary, result) = try scan(["--intense"])
        XCTAssertTrue(result.console.contains("Sigma: 803 rules loaded, 0 skipped, 78 below minimum level medium"), result.console)
        XCTAssertEqual(summary, [
            "cmdkey.evtx|1 Alert 100 [Cmdkey Listing Credentials (test rule) 100, Potential Reconnaissance For Cached Credentials Via Cmdkey.EXE 70]",
            "eula.evtx|1 Warning 77 [Suspicious Execution Of Renamed Sysinternals Tools - Registry 70, PUA - Sysinternals Tools Execution - Registry 50]",
            "logon.evtx|1 Notice 50 [Potentially Suspicious Explicit Credential Local Logon 50]",
        ])
    }

    func testMinimumSigmaLevelOverridesTheDefaultAndIntense() throws {
        let (low, lowScan) = try scan(["--minimum-sigma-level", "low"])
        XCTAssertTrue(lowScan.console.contains("Sigma: 873 rules loaded, 0 skipped, 8 below minimum level low"), lowScan.console)
        XCTAssertEqual(low, [
            "cmdkey.evtx|1 Alert 100 [Cmdkey Listing Credentials (test rule) 100, Potential Reconnaissance For Cached Credentials Via Cmdkey.EXE 70, Local Accounts Discovery 40]",
            "eula.evtx|1 Warning 80 [Suspicious Execution Of Renamed Sysinternals Tools - Registry 70, PUA - Sysinternals Tools Execution - Registry 50, PUA - Sysinternal Tool Execution - Registry 40]",
            "logon.evtx|1 Notice 50 [Potentially Suspicious Explicit Credential Local Logon 50]",
        ])
        let (critical, _) = try scan(["--intense", "--minimum-sigma-level", "critical"])
        XCTAssertEqual(critical, ["cmdkey.evtx|1 Alert 100 [Cmdkey Listing Credentials (test rule) 100]"])
    }
}
