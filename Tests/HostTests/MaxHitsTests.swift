import TestSupport
import XCTest

/// `--max-hits` (THOR: 10000): a rule is reported at most that many times per scan; its later
/// matches leave their findings, which are scored from what is left, and the scan log says when
/// a rule reached the cap.
final class MaxHitsTests: XCTestCase {
    func testARuleIsReportedAtMostMaxHitsTimes() throws {
        let rules = try temporaryFolder("rules")
        let tree = try temporaryFolder("tree")
        for name in ["a", "b", "c", "d", "e"] { try tree.write("\(name).txt", "capped string\n") }
        try tree.write("f.txt", "capped string and another string\n")
        try rules.write("hits.yar", """
            rule Capped { meta: score = 80 strings: $a = "capped string" condition: $a }
            rule Another { meta: score = 70 strings: $a = "another string" condition: $a }

            """)
        let base = ["--modules", "yara", "--yara-dir", rules.path, "-p", tree.path, "--nolog", "--intense", "--nocolor", "--threads", "1"]
        let capped = try Support.runThor(base + ["--max-hits", "2"])
        XCTAssertEqual(capped.status, 1, capped.stdout + capped.stderr)
        let findings = capped.stdout.split(separator: "\n").filter { $0.contains("MODULE: Filescan") && $0.contains(" SCORE: ") }
        XCTAssertEqual(findings.filter { $0.contains("RULENAME_1: Capped") || $0.contains("RULENAME_2: Capped") }.count, 2, capped.stdout)
        // f.txt is reported either way: with both rules, or, after the cap, with Another alone.
        let f = try XCTUnwrap(findings.first { $0.contains("/f.txt ") }, capped.stdout)
        XCTAssertTrue(f.contains("RULENAME_1: Another") || f.contains("RULENAME_2: Another"), String(f))
        XCTAssertEqual(findings.count, f.contains("Capped") ? 2 : 3, capped.stdout)
        if !f.contains("Capped") { XCTAssertTrue(f.contains(" SCORE: 70 ") && f.contains("REASONS_COUNT: 1"), String(f)) }
        let notices = capped.stdout.split(separator: "\n").filter { $0.contains("its further matches are not reported") }
        XCTAssertEqual(notices.count, 1, capped.stdout)
        XCTAssertTrue(notices[0].contains("RULE: Capped TYPE: YARA Rule MAX_HITS: 2"), String(notices[0]))

        let unlimited = try Support.runThor(base + ["--max-hits", "0"])
        let all = unlimited.stdout.split(separator: "\n").filter { $0.contains("MODULE: Filescan") && $0.contains(" SCORE: ") }
        XCTAssertEqual(all.count, 6, unlimited.stdout)
        XCTAssertFalse(unlimited.stdout.contains("its further matches are not reported"))

        let bad = try Support.runThor(base + ["--max-hits", "-1"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--max-hits must not be negative"), bad.stderr)
    }
}
