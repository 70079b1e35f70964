import Foundation
import TestSupport
import XCTest
@testable import Host

/// ZIP members scanned as files by the real `thor` with the archive module and the example
/// module: reported as `archive.zip|member` with their own digests, nested archives opened
/// within `--max-recursion-depth`, nothing written to disk.
final class ArchiveScanTests: XCTestCase {
    private let notes = Data("mimikatz # sekurlsa::logonpasswords\n".utf8)
    private let script = Data("powershell Invoke-Mimikatz -DumpCreds\n".utf8)

    private func scan(_ tree: String, _ extra: [String] = []) throws -> (Support.Run, [String], String) {
        let thor = try BuildProducts.thor(with: ["libthor-archive.so"])
        let out = try temporaryFolder("out").path
        let run = try Support.run(thor, ["--plugin-dir", try exampleModuleFolder(), "--modules", "archive,strings-example", "-p", tree,
                                         "-e", out, "--nocolor", "--nocpulimit", "--nolowprio", "--nodoublecheck"] + extra)
        return (run, try ScanLog.lines(in: out, suffix: ".txt"), out)
    }

    func testMembersAndNestedArchivesAreScannedAsFiles() throws {
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        let inner = try ZIPMaker.make([("tools/run.ps1", script, true)], at: work + "/inner.zip")
        try ZIPMaker.make([("docs/notes.txt", notes, true), ("inner.zip", inner, false), ("clean.txt", Data("nothing".utf8), true)],
                          at: tree.path + "/outer.zip")
        let (run, lines, out) = try scan(tree.path)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let findings = lines.filter { $0.contains("MODULE: Filescan") && $0.contains(" SCORE: ") }
        XCTAssertEqual(findings.count, 2, lines.joined(separator: "\n"))

        let member = try XCTUnwrap(findings.first { $0.contains(" FILE: \(tree.path)/outer.zip|docs/notes.txt ") }, findings.joined(separator: "\n"))
        XCTAssertTrue(member.contains(" THOR: Alert: "), member)
        XCTAssertTrue(member.contains(" EXTENSION: .txt TYPE: UNKNOWN SIZE: \(notes.count) "), member)
        let notesFile = work + "/notes.txt"
        try notes.write(to: URL(fileURLWithPath: notesFile))
        for (tool, key) in [("md5sum", "MD5"), ("sha1sum", "SHA1"), ("sha256sum", "SHA256")] {
            XCTAssertTrue(member.contains(" \(key): \(try ChildProcess.digest(tool, of: notesFile)) "), "\(key): \(member)")
        }
        XCTAssertTrue(findings.contains { $0.contains(" FILE: \(tree.path)/outer.zip|inner.zip|tools/run.ps1 ") && $0.contains(" SCORE: 80 ") },
                      findings.joined(separator: "\n"))
        // The CSV of reported files lists the member with its own MD5.
        let csv = try String(contentsOfFile: out + "/" + ScanIdentity.hostname() + "_files_md5s.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("\(try ChildProcess.digest("md5sum", of: notesFile)),\(tree.path)/outer.zip|docs/notes.txt,85\n"), csv)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tree.path), ["outer.zip"], "nothing unpacked to disk")
    }

    /// The JSON log names the object a member came out of, as THOR's v3 does: its archive, with
    /// the relation "parent"; a walked file has none.
    func testTheJSONLogsContextNamesTheMembersArchive() throws {
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        let inner = try ZIPMaker.make([("tools/run.ps1", script, true)], at: work + "/inner.zip")
        try ZIPMaker.make([("inner.zip", inner, false)], at: tree.path + "/outer.zip")
        try tree.write("loose.txt", String(decoding: notes, as: UTF8.self))
        let (run, _, out) = try scan(tree.path, ["--json"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let findings = try ScanLog.lines(in: out, suffix: ".json").compactMap { line -> [String: Any]? in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["type"] as? String == "THOR finding" ? object : nil
        }
        XCTAssertEqual(findings.count, 2)
        let path = { (f: [String: Any]) in (f["subject"] as? [String: Any])?["path"] as? String }
        let loose = try XCTUnwrap(findings.first { path($0) == tree.path + "/loose.txt" })
        XCTAssertEqual((loose["context"] as? [Any])?.count, 0)

        let member = try XCTUnwrap(findings.first { path($0) == tree.path + "/outer.zip|inner.zip|tools/run.ps1" })
        let context = try XCTUnwrap(member["context"] as? [[String: Any]])
        XCTAssertEqual(context.count, 1)
        let parent = try XCTUnwrap(context[0]["object"] as? [String: Any])
        XCTAssertEqual(parent["type"] as? String, "file")
        XCTAssertEqual(parent["path"] as? String, tree.path + "/outer.zip|inner.zip")
        XCTAssertEqual(parent["size"] as? Int, inner.count)
        XCTAssertEqual(parent["extension"] as? String, ".zip")
        XCTAssertEqual(parent["magic_header"] as? String, "ZIP")
        let relations = try XCTUnwrap(context[0]["relations"] as? [[String: Any]])
        XCTAssertEqual(relations.count, 1)
        XCTAssertEqual(relations[0]["relation_type"] as? String, "derives from")
        XCTAssertEqual(relations[0]["relation_name"] as? String, "parent")
        XCTAssertEqual(relations[0]["unique"] as? Bool, true)
    }

    func testNestingStopsAtTheRecursionDepth() throws {
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        // notes.txt at depth 3 inside three archives: depth 2 reaches the third archive, not its member.
        var zip = try ZIPMaker.make([("notes.txt", notes, true)], at: work + "/level3.zip")
        zip = try ZIPMaker.make([("level3.zip", zip, false)], at: work + "/level2.zip")
        try ZIPMaker.make([("level2.zip", zip, false)], at: tree.path + "/level1.zip")
        let deep = try scan(tree.path)
        XCTAssertEqual(deep.0.status, 1, deep.0.stdout + deep.0.stderr)
        XCTAssertTrue(deep.1.contains { $0.contains(" FILE: \(tree.path)/level1.zip|level2.zip|level3.zip|notes.txt ") }, deep.1.joined(separator: "\n"))
        let shallow = try scan(tree.path, ["--max-recursion-depth", "2"])
        XCTAssertEqual(shallow.0.status, 0, shallow.0.stdout + shallow.0.stderr)
        XCTAssertTrue(shallow.1.contains { $0.contains("MESSAGE: Child objects dropped: depth limit 2 reached FILE: \(tree.path)/level1.zip|level2.zip|level3.zip") },
                      shallow.1.joined(separator: "\n"))
    }

    /// A damaged archive, or a file that only starts like one, is said in the log (as for any
    /// object a module cannot parse) and ends no scan.
    func testDamagedArchives() throws {
        let tree = try temporaryFolder("tree")
        let zip = try ZIPMaker.make([("notes.txt", notes, true), ("other.txt", Data("x".utf8), true)], at: tree.path + "/cut.zip")
        try zip.prefix(zip.count - 30).write(to: URL(fileURLWithPath: tree.path + "/cut.zip"))
        try Data("PK\u{3}\u{4}not really".utf8).write(to: URL(fileURLWithPath: tree.path + "/fake.zip"))
        let (run, lines, _) = try scan(tree.path)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        for name in ["cut.zip", "fake.zip"] {
            let path = tree.path + "/" + name
            XCTAssertTrue(lines.contains { $0.contains("MODULE: archive SCANID: ") && $0.hasSuffix("MESSAGE: ZIP: \(path): no ZIP end-of-central-directory record FILE: \(path)") },
                          "\(name): " + lines.joined(separator: "\n"))
            XCTAssertTrue(lines.contains { $0.hasSuffix("MESSAGE: Module could not fully process object STATUS: E_CORRUPT_INPUT FILE: \(path)") },
                          "\(name): " + lines.joined(separator: "\n"))
        }
        XCTAssertFalse(lines.contains { $0.contains(" Error: ") || $0.contains(" Alert: ") }, lines.joined(separator: "\n"))
    }

    /// THOR's --noarchive: the module is not run even when --modules names it.
    func testNoArchiveLeavesMembersAlone() throws {
        let tree = try temporaryFolder("tree")
        try ZIPMaker.make([("notes.txt", notes, true)], at: tree.path + "/a.zip")
        let (run, lines, _) = try scan(tree.path, ["--noarchive"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("MESSAGE: Active modules: strings-example MODE: ") }, lines.joined(separator: "\n"))
        XCTAssertFalse(lines.contains { $0.contains("a.zip|") }, lines.joined(separator: "\n"))
    }

    /// A .tar.gz is a gzip file holding a TAR: its members are two levels down.
    func testTarGzAndGzipMembers() throws {
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        try FileManager.default.createDirectory(atPath: work + "/pack/tools", withIntermediateDirectories: true)
        try script.write(to: URL(fileURLWithPath: work + "/pack/tools/run.ps1"))
        try notes.write(to: URL(fileURLWithPath: work + "/notes.txt"))
        let tar = try ChildProcess.run("/usr/bin/tar", ["-C", work, "-czf", tree.path + "/pack.tar.gz", "pack"])
        XCTAssertEqual(tar.status, 0, tar.stderr)
        let gzip = try ChildProcess.run("/bin/sh", ["-c", "gzip -c '\(work)/notes.txt' > '\(tree.path)/single.gz'"])
        XCTAssertEqual(gzip.status, 0, gzip.stderr)
        let (run, lines, _) = try scan(tree.path)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let findings = lines.filter { $0.contains("MODULE: Filescan") && $0.contains(" SCORE: ") }
        // The TAR holds the script as it is, so the TAR itself matches too.
        XCTAssertEqual(findings.count, 3, lines.joined(separator: "\n"))
        XCTAssertTrue(findings.contains { $0.contains(" FILE: \(tree.path)/pack.tar.gz|pack.tar EXTENSION: .tar ") }, findings.joined(separator: "\n"))
        XCTAssertTrue(findings.contains { $0.contains(" FILE: \(tree.path)/pack.tar.gz|pack.tar|pack/tools/run.ps1 EXTENSION: .ps1 ") }, findings.joined(separator: "\n"))
        XCTAssertTrue(findings.contains { $0.contains(" FILE: \(tree.path)/single.gz|notes.txt EXTENSION: .txt ") }, findings.joined(separator: "\n"))
    }

    /// 7-Zip archives and bzip2 files through libarchive: a .tar.bz2 is x.tar.bz2|x.tar|member.
    func testSevenZipAndTarBz2Members() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/bsdtar") else { throw XCTSkip("needs bsdtar (libarchive-tools)") }
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        try FileManager.default.createDirectory(atPath: work + "/kit", withIntermediateDirectories: true)
        try script.write(to: URL(fileURLWithPath: work + "/kit/run.ps1"))
        let made = try ChildProcess.run("/bin/sh", ["-c", "cd '\(work)' && bsdtar --format 7zip -cf '\(tree.path)/kit.7z' kit && tar -cjf '\(tree.path)/kit.tar.bz2' kit"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let (run, lines, _) = try scan(tree.path)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let files = Set(lines.filter { $0.contains("MODULE: Filescan") && $0.contains(" SCORE: ") }.compactMap { line in
            line.range(of: " FILE: ").map { String(line[$0.upperBound...].prefix { $0 != " " }) }
        })
        // The 7z compresses the script; the TAR holds it as it is, so the TAR itself matches too.
        XCTAssertEqual(files, ["\(tree.path)/kit.7z|kit/run.ps1", "\(tree.path)/kit.tar.bz2|kit.tar", "\(tree.path)/kit.tar.bz2|kit.tar|kit/run.ps1"],
                       lines.joined(separator: "\n"))
    }

    /// As THOR's: an archive above the file size limit is not opened, unless --intense (200 MiB).
    func testArchivesAboveTheFileSizeLimitStayClosed() throws {
        let tree = try temporaryFolder("tree")
        let filler = Data(count: 31 << 20) // stored, so the archive itself is above 30 MiB
        try ZIPMaker.make([("notes.txt", notes, true), ("filler.bin", filler, false)], at: tree.path + "/big.zip")
        let normal = try scan(tree.path)
        XCTAssertEqual(normal.0.status, 0, normal.0.stdout + normal.0.stderr)
        XCTAssertTrue(normal.1.contains { $0.contains(" THOR: Info: MODULE: archive ") && $0.contains("MESSAGE: archive \(tree.path)/big.zip: larger than 30 MiB, not opened ") },
                      normal.1.joined(separator: "\n"))
        XCTAssertFalse(normal.1.contains { $0.contains("big.zip|") }, normal.1.joined(separator: "\n"))
        let intense = try scan(tree.path, ["--intense"])
        XCTAssertEqual(intense.0.status, 1, intense.0.stdout + intense.0.stderr)
        XCTAssertTrue(intense.1.contains { $0.contains(" FILE: \(tree.path)/big.zip|notes.txt ") }, intense.1.joined(separator: "\n"))
    }

    /// The scan's --max_file_size reaches the module: a member above it is skipped, and said.
    func testTheScansFileSizeLimitAppliesToMembers() throws {
        let tree = try temporaryFolder("tree")
        try ZIPMaker.make([("notes.txt", Data(String(repeating: "mimikatz # sekurlsa::logonpasswords\n", count: 100).utf8), true)],
                          at: tree.path + "/a.zip")
        let (run, lines, _) = try scan(tree.path, ["--max_file_size", "1000"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("MESSAGE: ZIP archive \(tree.path)/a.zip: members scanned: 0, skipped (larger than 1000 bytes): 1 ") },
                      lines.joined(separator: "\n"))
    }

    /// The host's child size budget (1 GiB) holds for a walked file across its nested archives: 16
    /// archives of 80 MiB each stop at 1,024 MiB in all, where a limit per archive would let 1,280 through.
    func testNestedArchivesShareOneUnpackingLimit() throws {
        let tree = try temporaryFolder("tree")
        let work = try temporaryFolder("work").path
        let inner = try ZIPMaker.make((0..<80).map { ("zeros\($0)", Data(count: 1 << 20), true) }, at: work + "/inner.zip")
        try ZIPMaker.make((0..<16).map { ("inner\($0).zip", inner, false) }, at: tree.path + "/outer.zip")
        let (run, lines, _) = try scan(tree.path, ["--max_file_size", String(2 << 20), "--debug"]) // --debug: complete archives log at Debug
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let scanned = lines.filter { $0.contains("MESSAGE: ZIP archive \(tree.path)/outer.zip|inner") }.compactMap { line -> Int? in
            guard let range = line.range(of: "members scanned: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertEqual(scanned.count, 16, lines.joined(separator: "\n"))
        // 1,024 MiB less the inner archives' own bytes (they were unpacked from the outer one too).
        XCTAssertTrue((1000...1024).contains(scanned.reduce(0, +)), "\(scanned)")
        XCTAssertEqual(scanned.suffix(3), [0, 0, 0])
        XCTAssertTrue(lines.contains { $0.contains(" THOR: Warning: MODULE: archive ") && $0.hasSuffix(
            "MESSAGE: Child objects dropped: child content limit of 1024 MiB reached FILE: \(tree.path)/outer.zip|inner12.zip") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("MESSAGE: ZIP archive \(tree.path)/outer.zip|inner15.zip: members scanned: 0, stopped: host limit reached ") },
                      lines.joined(separator: "\n"))
    }
}
