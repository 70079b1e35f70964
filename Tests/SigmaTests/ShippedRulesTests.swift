import Foundation
import TestSupport
import XCTest

/// The Sigma rules this project ships (`Signatures/sigma`), loaded from the program folder without
/// `--sigma-dir`, over every EVTX file of the corpus: exactly these events fire, nothing else.
final class ShippedRulesTests: XCTestCase {
    /// (file, rule) -> events, checked by hand against the events' fields (thor-evtx-dump): the third service
    /// in the 7045 file runs calc.exe, not a shell; the 4699 task deletion and BITS jobs have no rule.
    static let expected: [String: Int] = [
        "LM_Remote_Service02_7045.evtx / Service Installed That Runs A Command Shell": 2,
        "Powershell_4104_MiniDumpWriteDump_Lsass.evtx / PowerShell Script Writes A Process Minidump": 1,
        "Sysmon_13_1_UAC_Bypass_EventVwrBypass.evtx / UAC Bypass Through The mscfile Open Command": 1,
        "WinDefender_Events_1117_1116_AtomicRedTeam.evtx / Microsoft Defender Detected A Threat": 11,
        "issue_43.evtx / Shadow Copies Deleted From The Command Line": 3,
        "new-user-security.evtx / Local User Account Created": 1,
        "panache_sysmon_vs_EDRTestingScript.evtx / Certutil Downloads Or Decodes A File": 4,
        "panache_sysmon_vs_EDRTestingScript.evtx / Mshta Or Rundll32 Runs Inline Script": 6,
        "panache_sysmon_vs_EDRTestingScript.evtx / Regsvr32 Loads A Remote Scriptlet": 2,
        "security.evtx / Local User Account Created": 2,
        "system.evtx / Event Log Cleared": 2,
        "temp_scheduled_task_4698_4699.evtx / Scheduled Task Created That Runs A Script Host": 1,
    ]

    private func scan(_ extra: [String]) throws -> (counts: [String: Int], scan: ThorBinary.Scan) {
        try CorpusPaths.requireCorpus()
        let out = try temporaryFolder("sigma-shipped").path
        let result = try ThorBinary.scan(["--modules", "evtx,sigma", "-p", CorpusPaths.corpus + "/evtx", "--max-reasons", "0",
                                          "--nocpulimit"] + extra, outputDir: out)
        var counts: [String: Int] = [:]
        for finding in result.findings {
            let path = (finding["subject"] as? [String: Any])?["path"] as? String ?? ""
            let file = (path as NSString).lastPathComponent.split(separator: "|").first.map(String.init) ?? ""
            for reason in finding["reasons"] as? [[String: Any]] ?? [] {
                let rule = (reason["signature"] as? [String: Any])?["rule_name"] as? String ?? "?"
                counts[file + " / " + rule, default: 0] += 1
            }
        }
        return (counts, result)
    }

    func testEveryShippedRuleFiresOnItsCorpusEvents() throws {
        let (counts, result) = try scan(["--minimum-sigma-level", "low"])
        XCTAssertTrue(result.console.contains("Sigma: 12 rules loaded, 0 skipped, 0 below minimum level low"), result.console)
        XCTAssertEqual(counts, ShippedRulesTests.expected)
        XCTAssertEqual(result.status, 1)
    }

    func testDefaultLevelKeepsTheHighRules() throws {
        let (counts, result) = try scan([])
        XCTAssertTrue(result.console.contains("Sigma: 10 rules loaded, 0 skipped, 2 below minimum level high"), result.console)
        XCTAssertEqual(counts, ShippedRulesTests.expected.filter { !$0.key.hasSuffix("Local User Account Created")
                                                                  && !$0.key.hasSuffix("Runs A Script Host") })
    }
}
