import Foundation
import TestSupport
import XCTest

/// THOR's `unpack_parent` and `unpack_source` YARA externals (10.7.20): for an archive member the
/// type of the container it came out of and the chain of containers from the outermost; empty for
/// a file on disk. The JSON log's file object carries `unpack_source` too.
final class YaraUnpackExternalsTests: XCTestCase {
    func testMembersSeeTheirContainersAndWalkedFilesSeeNone() throws {
        let thor = try BuildProducts.thor(with: ["libthor-archive.so", "libthor-yara.so"])
        let rules = try temporaryFolder("rules")
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        let content = Data("unpack external sample\n".utf8)
        try tree.write("loose.txt", String(decoding: content, as: UTF8.self))
        let inner = try ZIPMaker.make([("deep.txt", content, true)], at: work + "/inner.zip")
        try ZIPMaker.make([("top.txt", content, true), ("inner.zip", inner, false)], at: tree.path + "/outer.zip")
        try content.write(to: URL(fileURLWithPath: work + "/single.txt"))
        let gzip = try ChildProcess.run("/bin/sh", ["-c", "gzip -c '\(work)/single.txt' > '\(tree.path)/single.gz'"])
        XCTAssertEqual(gzip.status, 0, gzip.stderr)
        let rule = { (name: String, condition: String) in
            "rule \(name) { meta: score = 80 strings: $a = \"unpack external sample\" condition: $a and \(condition) }\n"
        }
        try rules.write("unpack.yar", rule("On_Disk", "unpack_parent == \"\" and unpack_source == \"\"")
            + rule("In_ZIP", "unpack_parent == \"ZIP\"") + rule("In_ZIP_In_ZIP", "unpack_source == \"ZIP>ZIP\"")
            + rule("In_GZIP", "unpack_source == \"GZIP\""))
        let out = try temporaryFolder("out").path
        let run = try Support.run(thor, ["--modules", "archive,yara", "--yara-dir", rules.path, "-p", tree.path, "-e", out,
                                         "--intense", "--json", "--nocolor", "--nocpulimit", "--nolowprio"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        var matched: [String: Set<String>] = [:]
        var sources: [String: String] = [:]
        for line in try ScanLog.lines(in: out, suffix: ".json") {
            guard let finding = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  finding["type"] as? String == "THOR finding",
                  let subject = finding["subject"] as? [String: Any], let path = subject["path"] as? String else { continue }
            let name = String(path.dropFirst(tree.path.count + 1))
            sources[name] = subject["unpack_source"] as? String ?? "-"
            for reason in finding["reasons"] as? [[String: Any]] ?? [] {
                if let rule = (reason["signature"] as? [String: Any])?["rule_name"] as? String { matched[name, default: []].insert(rule) }
            }
        }
        XCTAssertEqual(matched, ["loose.txt": ["On_Disk"], "outer.zip|top.txt": ["In_ZIP"],
                                 "outer.zip|inner.zip|deep.txt": ["In_ZIP", "In_ZIP_In_ZIP"], "single.gz|single.txt": ["In_GZIP"]])
        XCTAssertEqual(sources, ["loose.txt": "-", "outer.zip|top.txt": "ZIP", "outer.zip|inner.zip|deep.txt": "ZIP>ZIP",
                                 "single.gz|single.txt": "GZIP"])
    }
}
