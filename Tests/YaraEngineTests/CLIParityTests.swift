import TestSupport
import XCTest
@testable import YaraEngine

/// The engine against the yara 4.2.3 CLI on a tree made here: for every file, the CLI gets the
/// same per-file externals with -d (as yara-reference.py sets them) and must report exactly
/// the rules the engine reports.
final class CLIParityTests: XCTestCase {
    static let rules = """
        rule Content_Only { strings: $a = "parity-marker" condition: $a }
        rule Name_Exe { condition: extension == ".exe" and filesize > 0 }
        rule Path_Temp { strings: $a = "payload" condition: $a and filepath contains "/tmp-like/" }
        rule Name_Regex { condition: filename matches /^inv(oice)?[0-9]+\\.(pdf|doc)$/i }
        rule Owner_Root { condition: owner == "root" and filename == "owned.txt" }
        rule Not_Name { strings: $a = "parity-marker" condition: $a and not filename contains "skip" }
        private rule Hidden { strings: $h = { 4D 5A } condition: $h at 0 }
        rule Uses_Private { condition: Hidden and extension != ".dll" }
        rule Count { strings: $x = "xx" condition: #x >= 3 }
        rule Empty_File { condition: filesize == 0 and extension == "" }
        """

    func testEngineMatchesTheYaraCLIPerFile() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/yara") else { throw XCTSkip("yara CLI not installed") }
        let dir = try temporaryFolder()
        let ruleFile = try dir.write("rules/parity.yar", Self.rules)
        let samples: [(String, String)] = [
            ("a/plain.txt", "nothing here"),
            ("a/marker.txt", "some parity-marker text"),
            ("a/skip-marker.txt", "parity-marker"),
            ("b/tool.EXE", "MZ...."),
            ("b/lib.dll", "MZ...."),
            ("b/empty", ""),
            ("b/.hidden", ""),
            ("c/tmp-like/x/drop.bin", "payload"),
            ("c/other/drop.bin", "payload"),
            ("d/INVOICE123.PDF", "%PDF"),
            ("d/inv7.doc", "x"),
            ("d/invoice.pdf", "x"),
            ("e/owned.txt", "o"),
            ("e/counts.txt", "xx xx xx"),
            ("e/counts2.txt", "xx xx"),
        ]
        var paths: [String] = []
        for (name, text) in samples { paths.append(try dir.write("tree/" + name, text)) }

        let rules = try YaraRules(files: [ruleFile])
        let scanner = try YaraScanner(rules: rules)
        var compared = 0
        var pairs = 0
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var externals = FileExternals.pathExternals(directory: url.deletingLastPathComponent().path, name: url.lastPathComponent)
            externals["owner"] = try owner(of: path)
            externals["filetype"] = ""
            externals["md5"] = ""
            scanner.setExternals(externals)
            let engine = try scanner.scanFile(atPath: path).matches.map { rules.rules[$0.ruleIndex].name }.sorted()
            let cli = try yaraCLI(ruleFile, path, externals)
            XCTAssertEqual(engine, cli, path)
            compared += 1
            pairs += engine.count
        }
        XCTAssertEqual(compared, samples.count)
        // Worked out by hand from the rules above; Owner_Root needs the test to run as root.
        XCTAssertEqual(pairs, getuid() == 0 ? 12 : 11)
    }

    private func owner(of path: String) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return attributes[.ownerAccountName] as? String ?? ""
    }

    private func yaraCLI(_ rules: String, _ file: String, _ externals: [String: String]) throws -> [String] {
        var args = ["-w"]
        for key in YaraRules.lokiExternals.sorted() { args += ["-d", "\(key)=\(externals[key] ?? "")"] }
        let run = try ChildProcess.run("/usr/bin/yara", args + [rules, file])
        XCTAssertEqual(run.status, 0)
        return run.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
    }
}
