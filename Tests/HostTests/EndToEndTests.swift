import Foundation
import TestSupport
import XCTest

/// Real scans with the real `thor` and the example C module built from examples/ with make.
final class EndToEndTests: XCTestCase {
    private func buildExampleModule() throws -> String {
        let dir = try temporaryFolder("plugins").path
        let example = BuildProducts.packageRoot + "/examples/c-module"
        let make = try Support.run("/usr/bin/make", ["-s", "-C", example, "ABI_INCLUDE=\(CModule.abiInclude)",
                                                     "libstrings-example.so", "-o", "/dev/null", "-B",
                                                     "CFLAGS=-O2 -Wall", ])
        XCTAssertEqual(make.status, 0, make.stderr)
        let built = example + "/libstrings-example.so"
        try FileManager.default.moveItem(atPath: built, toPath: dir + "/libstrings-example.so")
        chmod(dir + "/libstrings-example.so", 0o755)
        return dir
    }

    private func makeTree() throws -> String {
        let tree = try temporaryFolder("tree")
        try tree.write("tools/run.ps1", "powershell Invoke-Mimikatz -DumpCreds\n")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        try tree.write("photo.jpg", "sekurlsa::logonpasswords but an image") // not a scan type by default
        try tree.write("clean.txt", "nothing to see\n")
        return tree.path
    }

    func testExampleModuleFindingsInTextAndJSONLogs() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out, "--json", "--scanid", "S-testtesttes"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)

        let text = try ScanLog.lines(in: out, suffix: ".txt")
        let findings = text.filter { $0.contains("MODULE: Filescan") && $0.contains("SCORE:") }
        XCTAssertEqual(findings.count, 2, findings.joined(separator: "\n"))
        let notes = try XCTUnwrap(findings.first { $0.contains("FILE: \(tree)/notes.txt ") })
        XCTAssertTrue(notes.contains(" THOR: Alert: MODULE: Filescan SCANID: S-testtesttes MESSAGE: Malware file found "), notes)
        XCTAssertTrue(notes.contains(" SCORE: 85 REASON_1: Example Module EXAMPLE_Offensive_Tool_String / Contains a string of a credential dumping tool SUBSCORE_1: 85 "), notes)
        XCTAssertTrue(notes.contains(#" MATCHED_1: $s: "sekurlsa::logonpasswords" at 0xb "#), notes)
        let ps1 = try XCTUnwrap(findings.first { $0.contains("FILE: \(tree)/tools/run.ps1 ") })
        XCTAssertTrue(ps1.contains(" Warning: ") || ps1.contains(" Alert: "), ps1)
        XCTAssertTrue(ps1.contains(" SCORE: 80 "), ps1)

        // Hashes in the log equal coreutils'.
        for (tool, key) in [("md5sum", "MD5"), ("sha1sum", "SHA1"), ("sha256sum", "SHA256")] {
            let digest = try ChildProcess.digest(tool, of: tree + "/notes.txt")
            XCTAssertTrue(notes.contains(" \(key): \(digest) "), "\(key) \(digest) not in \(notes)")
        }

        let end = try XCTUnwrap(text.last)
        XCTAssertTrue(end.contains("MESSAGE: Thor Scan finished "), end)
        XCTAssertTrue(end.contains(" ALERTS: 1 WARNINGS: 1 NOTICES: 0 ERRORS: 0 FILES: 4 "), end)
        XCTAssertTrue(end.contains(" SKIPPED_TYPE: 1 "), end)
        XCTAssertTrue(text.allSatisfy { $0.contains(" SCANID: S-testtesttes ") })

        let json = try ScanLog.lines(in: out, suffix: ".json")
        XCTAssertEqual(json.count, text.count)
        var jsonFindings = 0
        for line in json {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            XCTAssertEqual((object["meta"] as? [String: Any])?["scan_id"] as? String, "S-testtesttes")
            if object["type"] as? String == "THOR finding" { jsonFindings += 1 }
        }
        XCTAssertEqual(jsonFindings, 2)
    }

    /// --keyval writes the log file's lines as KEY='value' pairs, --cmdkeyval the console's; the JSON
    /// log is the same either way.
    func testKeyValueLines() throws {
        let plugins = try exampleModuleFolder()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out, "--json",
                                       "--scanid", "S-testtesttes", "--keyval", "--cmdkeyval", "--nodoublecheck"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let prefix = "Alert: MODULE='Filescan' SCANID='S-testtesttes' MESSAGE='Malware file found' FILE='\(tree)/notes.txt' EXTENSION='.txt' "
        let text = try ScanLog.lines(in: out, suffix: ".txt")
        XCTAssertEqual(text.filter { $0.contains(" THOR: " + prefix) }.count, 1, text.joined(separator: "\n"))
        XCTAssertTrue(text.allSatisfy { $0.contains(" THOR: ") && $0.contains(" MODULE='") && !$0.contains(" MODULE: ") }, text.joined(separator: "\n"))
        XCTAssertEqual(run.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }.count, 1, run.stdout)
        let json = try ScanLog.lines(in: out, suffix: ".json")
        XCTAssertTrue(json.contains { $0.hasPrefix(#"{"type":"THOR finding""#) && $0.contains(#""module":"Filescan""#) }, json.joined(separator: "\n"))
    }

    /// --reduced keeps only Warnings, Alerts and Errors on the console, --silent nothing; the log
    /// keeps every line either way.
    func testReducedAndSilentConsoles() throws {
        let plugins = try exampleModuleFolder()
        let tree = try makeTree()
        var logged: [Int] = []
        for (flag, expected) in [("--reduced", ["Alert", "Warning"]), ("--silent", [])] {
            let out = try temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out, flag, "--nodoublecheck"])
            XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
            let levels = run.stdout.split(separator: "\n").map { String($0.prefix { $0 != ":" }) }
            XCTAssertEqual(levels.sorted(), expected, "\(flag): \(run.stdout)")
            let lines = try ScanLog.lines(in: out, suffix: ".txt")
            XCTAssertTrue(lines.last?.contains("MESSAGE: Thor Scan finished ") == true, lines.joined(separator: "\n"))
            logged.append(lines.count)
        }
        XCTAssertEqual(logged[0], logged[1], "the same log either way")
    }

    /// --printall: an Info line for every file handed to the modules, scanned (with the bytes read)
    /// or skipped (with the reason).
    func testPrintAllNamesEveryFile() throws {
        let plugins = try exampleModuleFolder()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out, "--printall", "--nodoublecheck"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let lines = try ScanLog.lines(in: out, suffix: ".txt").filter { $0.contains("MESSAGE: File s") }
            .map { $0.components(separatedBy: "MESSAGE: ").last! }.sorted()
        XCTAssertEqual(lines, [
            "File scanned FILE: \(tree)/clean.txt BYTES_READ: 15",
            "File scanned FILE: \(tree)/notes.txt BYTES_READ: 36",
            "File scanned FILE: \(tree)/tools/run.ps1 BYTES_READ: 38",
            "File skipped FILE: \(tree)/photo.jpg REASON: not a type that is scanned",
        ])
        let quiet = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog", "--nodoublecheck"])
        XCTAssertFalse(quiet.stdout.contains("MESSAGE: File s"), "none without the flag")
    }

    func testIntenseScansEveryFile() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog", "--intense"])
        XCTAssertTrue(run.stdout.contains("FILE: \(tree)/photo.jpg "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" SKIPPED_TYPE: 0 "), run.stdout)
    }

    /// Logs name files by absolute path whatever -p was given as: relative, with "..", or a link.
    func testFindingsNameTheRealAbsolutePath() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let parent = URL(fileURLWithPath: tree).deletingLastPathComponent().path
        let name = URL(fileURLWithPath: tree).lastPathComponent
        let link = try temporaryFolder("links").path + "/tree-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tree)
        for given in [name, "./\(name)/../\(name)/", link] {
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", given, "--nolog", "--intense"], cwd: parent)
            XCTAssertTrue(run.stdout.contains(" FILE: \(tree)/photo.jpg "), "-p \(given): \(run.stdout)")
        }
    }

    /// A log the disk refuses (here /dev/full) loses no line unnoticed: the other outputs say how
    /// many lines it lacks and why, and the scan exits 2.
    func testALogTheDiskRefusesIsReportedNotSilentlyShort() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out, "--jsonfile", "/dev/full"])
        XCTAssertEqual(run.status, 2, run.stdout)
        let text = try ScanLog.lines(in: out, suffix: ".txt", context: run.stdout)
        // The JSON log was offered every line the text log holds before the report of its loss.
        let report = try XCTUnwrap(text.last)
        XCTAssertTrue(report.contains("MESSAGE: Log lines could not be written FILE: /dev/full LOST: \(text.count - 1) ERROR: No space left on device"), report)
        XCTAssertTrue(run.stdout.contains("Log lines could not be written FILE: /dev/full LOST: \(text.count - 1) "), run.stdout)
    }

    /// A console nobody reads any more (`thor ... | head`) does not end the scan: it runs to its
    /// end and the log is complete.
    func testAConsoleWithoutAReaderDoesNotEndTheScan() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Support.thorBinary())
        process.arguments = ["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "-e", out,
                             "--nocolor", "--nocpulimit", "--nolowprio"]
        let console = Pipe()
        process.standardOutput = console
        // No reader from the start: the first console line already meets a closed pipe.
        try console.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "ended by signal \(process.terminationStatus)")
        XCTAssertEqual(process.terminationStatus, 1)
        let summary = try XCTUnwrap(try ScanLog.lines(in: out, suffix: ".txt").last)
        XCTAssertTrue(summary.contains("MESSAGE: Thor Scan finished ") && summary.contains(" ALERTS: 1 WARNINGS: 1 "), summary)
    }

    /// A folder named twice, or inside another named folder, is scanned once: each finding once.
    func testOverlappingPathsAreScannedOnce() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree + "/tools", "-p", tree, "-p", tree + "/", "--nolog"])
        XCTAssertEqual(run.status, 1, run.stdout)
        XCTAssertEqual(run.stdout.components(separatedBy: "MODULE: Filescan").filter { $0.contains(" SCORE: ") }.count, 2, run.stdout)
        XCTAssertTrue(run.stdout.contains("Skipping path already scanned as part of another PATH: \(tree)/tools WITHIN: \(tree)\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Skipping path already scanned as part of another PATH: \(tree)/ WITHIN: \(tree)\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" ALERTS: 1 WARNINGS: 1 "), run.stdout)
    }

    /// A path that cannot be walked is an Error (exit 2), and with --nofserrors a Debug line (exit 0).
    func testAPathThatCannotBeWalkedIsAnErrorUnlessFileSystemErrorsAreSilenced() throws {
        let line = "MESSAGE: Cannot walk path PATH: /dev/null ERROR: not a regular file or a folder (character device)"
        let loud = try Support.runThor(["--modules", "", "-p", "/dev/null", "--nolog"])
        XCTAssertEqual(loud.status, 2, loud.stdout)
        XCTAssertTrue(loud.stdout.contains("Error: MODULE: Filescan SCANID: ") && loud.stdout.contains(line), loud.stdout)
        let quiet = try Support.runThor(["--modules", "", "-p", "/dev/null", "--nolog", "--nofserrors", "--debug"])
        XCTAssertEqual(quiet.status, 0, quiet.stdout)
        XCTAssertTrue(quiet.stdout.contains("Debug: MODULE: Filescan SCANID: ") && quiet.stdout.contains(line), quiet.stdout)
        XCTAssertTrue(quiet.stdout.contains(" ERRORS: 0 FILES: 0 "), quiet.stdout)
    }

    /// --threads as THOR reads it: N, 0 for all cores, -N for all cores but N (at least one).
    func testThreadsCountsFromTheCoresWhenNotPositive() throws {
        let tree = try makeTree()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for (given, expected) in [("3", 3), ("0", cores), ("-1", max(1, cores - 1)), ("-64", 1)] {
            let run = try Support.runThor(["--modules", "", "-p", tree, "--nolog", "--threads", given])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("MODE: \(expected) worker process(es)"), "--threads \(given): \(run.stdout)")
        }
    }

    func testSizeLimitSkipsContent() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog", "--max_file_size", "30"])
        XCTAssertFalse(run.stdout.contains("notes.txt"), run.stdout) // 36 bytes
        XCTAssertTrue(run.stdout.contains(" SKIPPED_SIZE: 2 "), run.stdout)
    }

    func testExcludesFromAFile() throws {
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        let excludes = try temporaryFolder("excludes").write("excludes.cfg", "# no tools\n/tools$\n")
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog", "--excludes", excludes])
        XCTAssertFalse(run.stdout.contains("run.ps1"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" EXCLUDED: 1 "), run.stdout)
    }

    /// --require-admin: without root rights thor refuses to start (exit 3) and says why; with them it scans.
    func testRequireAdminRefusesAnUnprivilegedUser() throws {
        let tree = try temporaryFolder("tree").path
        let arguments = ["-p", tree, "--nolog", "--modules", "", "--nocolor", "--nocpulimit", "--nodoublecheck", "--require-admin"]
        guard getuid() == 0 else {
            let refused = try Support.run(try Support.thorBinary(), arguments)
            XCTAssertEqual(refused.status, 3, refused.stdout + refused.stderr)
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("needs setpriv to run thor as nobody") }
        chmod(tree, 0o755)
        let thor = try thorCopyForNobody()
        let refused = try Support.run(thor, arguments, user: "nobody")
        XCTAssertEqual(refused.status, 3, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.hasPrefix("thor: error: --require-admin: running as user ID \(nobodyID()), not as root; "), refused.stderr)
        let admitted = try Support.run(try Support.thorBinary(), arguments)
        XCTAssertEqual(admitted.status, 0, admitted.stdout + admitted.stderr)
        XCTAssertTrue(admitted.stdout.contains("MESSAGE: Thor Scan finished "), admitted.stdout)
    }

    private func nobodyID() -> uid_t { getpwnam("nobody")?.pointee.pw_uid ?? 65534 }

    /// The build folder may sit where nobody cannot reach it (a clone under /root): a copy that nobody can run.
    private func thorCopyForNobody() throws -> String {
        let thor = try temporaryFolder("bin").path + "/thor"
        try FileManager.default.copyItem(atPath: try Support.thorBinary(), toPath: thor)
        chmod(thor, 0o755)
        return thor
    }

    /// Root reads everything, so the scan runs as nobody to meet a file it may not read.
    func testUnreadableFileIsAnErrorNotTheEnd() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to run the scan as nobody")
        }
        let plugins = try buildExampleModule()
        let tree = try makeTree()
        try "secret".write(toFile: tree + "/locked.txt", atomically: false, encoding: .utf8)
        chmod(tree + "/locked.txt", 0o000)
        for dir in [tree, tree + "/tools", plugins] { chmod(dir, 0o755) }
        var path = (tree as NSString).deletingLastPathComponent
        while path != "/" { chmod(path, 0o755 | (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! mode_t)); path = (path as NSString).deletingLastPathComponent }
        let thor = try thorCopyForNobody()
        let run = try Support.run(thor, ["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog",
                                                     "--nocolor", "--nocpulimit"], user: "nobody")
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("Error: MODULE: Filescan SCANID: "), run.stdout)
        XCTAssertTrue(run.stdout.contains("MESSAGE: Cannot open file FILE: \(tree)/locked.txt ERROR: Permission denied"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" ALERTS: 1 WARNINGS: 1 NOTICES: 0 ERRORS: 1 "), run.stdout)

        // --nofserrors: the same file is a Debug line (shown with --debug), the scan has no error.
        let quiet = try Support.run(thor, ["--plugin-dir", plugins, "--modules", "strings-example", "-p", tree, "--nolog",
                                                       "--nocolor", "--nocpulimit", "--nofserrors", "--debug"], user: "nobody")
        XCTAssertEqual(quiet.status, 1, quiet.stdout + quiet.stderr)
        XCTAssertTrue(quiet.stdout.contains("Debug: MODULE: Filescan SCANID: "), quiet.stdout)
        XCTAssertTrue(quiet.stdout.contains("MESSAGE: Cannot open file FILE: \(tree)/locked.txt ERROR: Permission denied"), quiet.stdout)
        XCTAssertTrue(quiet.stdout.contains(" ALERTS: 1 WARNINGS: 1 NOTICES: 0 ERRORS: 0 "), quiet.stdout)
    }

    func testBadInputGetsAClearMessageAndExitCode() throws {
        let unknownFlag = try Support.runThor(["-p", "/tmp", "--no-such-flag"])
        XCTAssertEqual(unknownFlag.status, 64)
        XCTAssertTrue(unknownFlag.stderr.contains("Unknown option '--no-such-flag'"), unknownFlag.stderr)

        let missing = try Support.runThor(["-p", "/no/such/path", "--nolog"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertEqual(missing.stderr, "thor: error: path does not exist: /no/such/path\n")

        let nothing = try Support.runThor([])
        XCTAssertEqual(nothing.status, 64)
        XCTAssertTrue(nothing.stderr.contains("nothing to scan"), nothing.stderr)

        let badOut = try Support.runThor(["-p", "/tmp", "-e", "/no/such/dir"])
        XCTAssertEqual(badOut.status, 3)
        XCTAssertEqual(badOut.stderr, "thor: error: output directory /no/such/dir does not exist\n")

        // A mistyped rule folder stops the start (a scan without those rules would look clean).
        let noRules = try Support.runThor(["-p", "/tmp", "--nolog", "--yara-dir", "/no/such/rules"])
        XCTAssertEqual(noRules.status, 3)
        XCTAssertEqual(noRules.stderr, "thor: error: --yara-dir: no such folder: /no/such/rules\n")
        let fileAsFolder = try Support.runThor(["-p", "/tmp", "--nolog", "--ioc-dir", "/tmp,/etc/hostname"])
        XCTAssertEqual(fileAsFolder.status, 3)
        XCTAssertEqual(fileAsFolder.stderr, "thor: error: --ioc-dir: no such folder: /etc/hostname\n")
        // Under timeout(1): a service that started anyway would otherwise run until CI gave up (124 then).
        let serviceRules = try Support.run("/usr/bin/timeout", ["30", try Support.thorBinary(), "--thunderstorm", "--server-port", "0",
                                                                "--nolog", "--sigma-dir", "/tmp;/no/such/sigma"])
        XCTAssertEqual(serviceRules.status, 3)
        XCTAssertEqual(serviceRules.stderr, "thor: error: --sigma-dir: no such folder: /no/such/sigma\n")
        XCTAssertEqual(serviceRules.stdout, "", "nothing started")

        let thresholds = try Support.runThor(["-p", "/tmp", "--nolog", "--notice", "90", "--warning", "50"])
        XCTAssertEqual(thresholds.status, 64)
        XCTAssertTrue(thresholds.stderr.contains("Error: score thresholds must rise: --notice 90 <= --warning 50 <= --alert 81\n"), thresholds.stderr)
        // A negative number reaches its check (the parser took "-5" for an option: "Missing value").
        for (flag, message) in [("--minmem", "--minmem must not be negative"), ("--string-context", "--string-context must not be negative"),
                                ("--max_file_size", "--max_file_size must not be negative"), ("--max-reasons", "--max-reasons must not be negative (0 shows all)")] {
            let negative = try Support.runThor(["-p", "/tmp", "--nolog", flag, "-5"])
            XCTAssertEqual(negative.status, 64, flag)
            XCTAssertTrue(negative.stderr.contains("Error: \(message)\n"), negative.stderr)
        }
        let recycle = try Support.runThor(["-p", "/tmp", "--nolog", "--worker-recycle-bytes", "0"])
        XCTAssertEqual(recycle.status, 64)
        XCTAssertTrue(recycle.stderr.contains("Error: --worker-recycle-bytes must be at least 1\n"), recycle.stderr)

        let out = try temporaryFolder("out").path
        let badJSON = try Support.runThor(["-p", "/tmp", "-e", out, "--jsonfile", "/no/such/dir/scan.json"])
        XCTAssertEqual(badJSON.status, 3)
        XCTAssertEqual(badJSON.stderr, "thor: error: cannot write log file /no/such/dir/scan.json: No such file or directory\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [], "no half set of logs")
    }

    /// `--jsonfile` with an absolute path writes there; a relative name goes into the `-e` folder.
    func testJSONFilePlacement() throws {
        let tree = try makeTree()
        let out = try temporaryFolder("out").path, elsewhere = try temporaryFolder("elsewhere").path
        let absolute = try Support.runThor(["--modules", "", "-p", tree, "-e", out, "--jsonfile", elsewhere + "/scan.json"])
        XCTAssertEqual(absolute.status, 0, absolute.stderr)
        let lines = try String(contentsOfFile: elsewhere + "/scan.json", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, try ScanLog.lines(in: out, suffix: ".txt").count)

        let relative = try Support.runThor(["--modules", "", "-p", tree, "-e", out, "--jsonfile", "named.json", "--nolog"])
        XCTAssertEqual(relative.status, 0, relative.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/named.json"))
    }
}
