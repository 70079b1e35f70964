import TestSupport
import XCTest

/// With `--modules yara` alone the host does not hash files (the module sets THOR_CAP_NO_HASHES);
/// a rule that reads the `md5` external still sees the file's real MD5, as it does when another
/// module has the host hash.
final class YaraMD5ExternalTests: XCTestCase {
    func testARuleReadingMD5MatchesWhateverModulesRun() throws {
        let rules = try temporaryFolder("rules")
        let tree = try temporaryFolder("tree")
        let sample = try tree.write("sample.bin", "md5 external sample\n")
        try tree.write("other.bin", "another file\n")
        let md5 = try ChildProcess.digest("md5sum", of: sample)
        try rules.write("md5-rule.yar", "rule Reads_MD5_External { meta: score = 80 condition: md5 == \"\(md5)\" }\n")
        for modules in ["yara", "yara,ioc"] {
            let run = try Support.runThor(["--modules", modules, "--yara-dir", rules.path, "-p", tree.path, "--nolog", "--intense"])
            XCTAssertEqual(run.status, 1, modules + ": " + run.stdout + run.stderr)
            let hits = run.stdout.split(separator: "\n").filter { $0.contains("Reads_MD5_External") }
            XCTAssertEqual(hits.count, 1, modules + ": " + run.stdout)
            XCTAssertTrue(hits.first?.contains("FILE: \(sample) ") == true, modules + ": " + (hits.first.map(String.init) ?? ""))
        }
    }
}
