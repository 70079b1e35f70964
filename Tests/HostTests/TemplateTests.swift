import Foundation
import TestSupport
import XCTest

/// Templates with the real `thor`: config/thor.yml in the program folder, then -t files in order,
/// then the command line; unknown keys and wrong values stop the run; --generate-config.
final class TemplateTests: XCTestCase {
    func testLaterTemplatesOverrideEarlierAndTheCommandLineWinsListsIncluded() throws {
        let folder = try temporaryFolder("templates")
        let first = try folder.write("first.yml", """
            # the scan's defaults for this site
            intense: true
            max_file_size: 7500000
            syslog: [siem.example.org, "siem2.example.org:514:TCP"]
            threads: 2
            """)
        let second = try folder.write("second.yml", "max_file_size: 0700\nintense: false\nnolog: true\n")
        let run = try Support.run(Support.thorBinary(), ["-t", first, "--template=\(second)", "--generate-config",
                                                         "-p", "/srv", "-s", "cli.example.org", "--threads=3", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // Template keys in the order first given, values from the last template that gives them
        // (kept as written: 0700 is not read as a number); the command line's replace them whole.
        XCTAssertEqual(run.stdout, """
            intense: false
            max_file_size: 0700
            nolog: true
            path:
            - /srv
            syslog:
            - cli.example.org
            threads: 3
            json: true

            """)
    }

    func testATemplateConfiguresARealScanAndTheCommandLineOverridesIt() throws {
        let plugins = try exampleModuleFolder()
        let tree = try temporaryFolder("tree")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        let out = try temporaryFolder("out").path
        let template = try temporaryFolder("template").write("scan.yml", """
            plugin-dir: [\(plugins)]
            modules: strings-example
            rebase-dir: \(out)
            jsonfile: "\(out)/:hostname:-findings.json"
            nolog: true
            nodoublecheck: true
            scanid-prefix: TPL-
            """)
        let run = try Support.runThor(["-t", template, "-p", tree.path])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        // nolog: no text log; the JSON log under the template's name with the host filled in.
        XCTAssertEqual(files.count, 1, "\(files)")
        let name = try XCTUnwrap(files.first)
        XCTAssertTrue(name.hasSuffix("-findings.json") && !name.contains(":hostname:") && name.count > "-findings.json".count, name)
        let lines = try ScanLog.lines(in: out, suffix: "-findings.json")
        XCTAssertTrue(lines.contains { $0.contains("\"THOR finding\"") && $0.contains("notes.txt") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.allSatisfy { $0.contains("\"scan_id\":\"TPL-") }, lines.joined(separator: "\n"))

        let again = try Support.runThor(["-t", template, "-p", tree.path, "--scanid-prefix", "CLI-"])
        XCTAssertEqual(again.status, 1, again.stdout + again.stderr)
        let replaced = try ScanLog.lines(in: out, suffix: "-findings.json")
        XCTAssertFalse(replaced.isEmpty)
        XCTAssertTrue(replaced.allSatisfy { $0.contains("\"scan_id\":\"CLI-") }, replaced.joined(separator: "\n"))
    }

    func testTheProgramFoldersThorYmlComesFirst() throws {
        // A program folder of its own: the executable, signatures/ and config/thor.yml.
        let program = try temporaryFolder("program")
        try FileManager.default.createDirectory(atPath: program.path + "/signatures", withIntermediateDirectories: true)
        let thor = program.path + "/thor"
        try FileManager.default.copyItem(atPath: try Support.thorBinary(), toPath: thor)
        try program.write("config/thor.yml", "cpulimit: 40\ntruncate: 500\n")
        let site = try program.write("site.yml", "truncate: 300\n")
        let run = try Support.run(thor, ["-t", site, "--generate-config", "--min", "60"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "cpulimit: 40\ntruncate: 300\nmin: 60\n")

        // Its values go through the same parser as the command line's.
        try program.write("config/thor.yml", "threads: many\n")
        let bad = try Support.run(thor, ["-p", program.path])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("'many'") && bad.stderr.contains("--threads"), bad.stderr)
    }

    func testBadTemplatesStopTheRunWithAMessage() throws {
        let folder = try temporaryFolder("bad")
        let cases: [(String, String)] = [
            ("max-file-size: 3\n", "unknown key 'max-file-size' (did you mean 'max_file_size'?)"),
            ("colour: true\n", "unknown key 'colour'"),
            ("intense: yes please\n", "'intense' is a flag: give true or false"),
            ("threads: [1, 2]\n", "'threads' takes one value, not a list"),
            ("threads:\n", "'threads' has no value"),
            ("template: other.yml\n", "'template' cannot be set in a template"),
            ("- intense\n", "expected a mapping of long flag names to values"),
            ("syslog: [a\n", "not valid YAML"),
            ("min: 50\nmin: 60\n", "'min' is given twice"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let path = try folder.write("t\(index).yml", text)
            let run = try Support.run(Support.thorBinary(), ["-t", path, "-p", folder.path])
            XCTAssertEqual(run.status, 64, text)
            XCTAssertTrue(run.stderr.hasPrefix("thor: error: template \(path): "), run.stderr)
            XCTAssertTrue(run.stderr.contains(message), "\(text): \(run.stderr)")
            XCTAssertEqual(run.stdout, "", text)
        }
        let missing = try Support.run(Support.thorBinary(), ["-t", folder.path + "/none.yml", "-p", folder.path])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("none.yml: cannot be read"), missing.stderr)
    }

    func testTheShippedThorYmlIsEmptyAndItsExamplesAreValidKeys() throws {
        // The checkout is the test binary's program folder: its thor.yml sets nothing.
        XCTAssertEqual(try Support.run(Support.thorBinary(), ["--generate-config"]).stdout, "{}\n")
        let shipped = try String(contentsOfFile: BuildProducts.packageRoot + "/config/thor.yml", encoding: .utf8)
        // Every commented line of the form "# key: value" made a setting.
        let examples = shipped.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# "), let colon = line.firstIndex(of: ":"),
                  line[line.index(line.startIndex, offsetBy: 2)..<colon].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }) else { return nil }
            return String(line.dropFirst(2))
        }
        XCTAssertEqual(examples.count, 9, examples.joined(separator: "\n"))
        let path = try temporaryFolder("examples").write("examples.yml", examples.joined(separator: "\n") + "\n")
        let run = try Support.run(Support.thorBinary(), ["-t", path, "--generate-config"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").filter { !$0.hasPrefix("- ") }.map { String($0.prefix { $0 != ":" }) },
                       ["max_file_size", "max_runtime", "cpulimit", "minmem", "min", "truncate", "intense", "syslog", "jsonfile"])
    }
}
