import Foundation
@testable import Host
import TestSupport
import XCTest

/// Crashing, hanging and greedy modules cost one object, never the scan.
final class WorkerTests: XCTestCase {
    private static let faults = ["segv", "abort", "loop", "alloc", "garbage", "exit0", "trap"]

    /// plugins/ with the example module, the C fault module and the Swift trap module.
    private func plugins(faulty: Bool) throws -> String {
        let dir = try temporaryFolder("plugins").path
        try CModule.build(CModule.exampleModuleSource, named: "strings-example", into: dir)
        if faulty {
            try CModule.build(CModule.faultModuleSource, named: "fault", into: dir)
            _ = try BuildProducts.thor(with: ["libTestTrapModule.so"])
            try FileManager.default.copyItem(atPath: BuildProducts.buildDir + "/libTestTrapModule.so", toPath: dir + "/libTestTrapModule.so")
        }
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) { chmod(dir + "/" + f, 0o755) }
        return dir
    }

    /// 1,050 files: every 25th holds a string the example module flags; two markers of each fault.
    private func tree() throws -> (root: String, flagged: Set<String>, markers: [String: [String]]) {
        let root = try temporaryFolder("tree")
        var flagged = Set<String>()
        for i in 0..<1000 {
            let name = "d\(i % 10)/f\(i).txt"
            if i % 25 == 0 {
                flagged.insert(try root.write(name, "log: sekurlsa::logonpasswords #\(i)\n"))
            } else {
                try root.write(name, "ordinary file \(i)\n")
            }
        }
        var markers: [String: [String]] = [:]
        for fault in Self.faults {
            for n in 0..<2 {
                markers[fault, default: []].append(try root.write("markers/\(fault)-\(n).txt", "FAULT:\(fault)\n"))
            }
        }
        return (root.path, flagged, markers)
    }

    private func findings(_ out: String) throws -> Set<String> {
        var set = Set<String>()
        for line in try ScanLog.lines(in: out, suffix: ".json") {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["type"] as? String == "THOR finding",
                  let subject = o["subject"] as? [String: Any], let path = subject["path"] as? String,
                  let reasons = o["reasons"] as? [[String: Any]] else { continue }
            for r in reasons { set.insert(path + " " + ((r["signature"] as? [String: Any])?["rule_name"] as? String ?? "")) }
        }
        return set
    }

    func testWorkerEnvironmentSetsTheAllocatorCacheBeforeTheUsersTunables() {
        let plain = WorkerProcess.environment(inheriting: ["PATH": "/bin", "SWIFT_BACKTRACE": "enable=yes"])
        XCTAssertEqual(Set(plain), ["PATH=/bin", "SWIFT_BACKTRACE=enable=no", "GLIBC_TUNABLES=glibc.malloc.tcache_count=4096"])
        // glibc applies tunables left to right: the user's come last and win.
        let user = WorkerProcess.environment(inheriting: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2"])
        XCTAssertEqual(user.filter { $0.hasPrefix("GLIBC_TUNABLES=") },
                       ["GLIBC_TUNABLES=glibc.malloc.tcache_count=4096:glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2"])
    }

    func testFaultsCostOneObjectEachAndFindingsSurvive() throws {
        let plugins = try plugins(faulty: true)
        let (root, flagged, markers) = try tree()
        let out = try temporaryFolder("out").path
        let started = Date()
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example,fault,trap", "-p", root, "-e", out, "--json", "--threads", "2",
                                       "--object-timeout", "2", "--worker-memory", "256", "--max-module-failures", "100"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 120, "the scan must end in bounded time")
        XCTAssertEqual(run.status, 2, "errors occurred: " + run.stderr)
        let found = try findings(out)
        XCTAssertEqual(found, Set(flagged.map { $0 + " EXAMPLE_Offensive_Tool_String" }))
        let errors = try ScanLog.lines(in: out, suffix: ".txt").filter { $0.contains(" THOR: Error: ") }
        let expectedModule = ["segv": "fault", "abort": "fault", "loop": "fault", "alloc": "fault", "garbage": "fault", "exit0": "fault", "trap": "trap"]
        for (fault, paths) in markers {
            for path in paths {
                let hits = errors.filter { $0.contains("MESSAGE: Worker died while scanning FILE: \(path) REASON:") }
                XCTAssertEqual(hits.count, 1, "\(fault): \(errors.joined(separator: "\n"))")
                XCTAssertTrue(hits.first?.contains("MODULE: \(expectedModule[fault]!) ") == true, hits.first ?? fault)
            }
        }
        func reason(_ fault: String) -> String {
            errors.first { $0.contains("/markers/\(fault)-0.txt") }.map { String($0[$0.range(of: "REASON: ")!.upperBound...]) } ?? ""
        }
        XCTAssertEqual(reason("segv"), "killed by signal 11 (SIGSEGV)")
        XCTAssertEqual(reason("abort"), "killed by signal 6 (SIGABRT)")
        XCTAssertEqual(reason("loop"), "exceeded the object deadline of 2s")
        XCTAssertTrue(reason("alloc").hasPrefix("exceeded the worker memory limit of 256 MB (resident "), reason("alloc"))
        XCTAssertTrue(reason("garbage").hasPrefix("protocol error: frame "), reason("garbage"))
        XCTAssertEqual(reason("exit0"), "exited with status 0")
        XCTAssertEqual(reason("trap"), "killed by signal 4 (SIGILL)")
        let end = try XCTUnwrap(try ScanLog.lines(in: out, suffix: ".txt").last)
        XCTAssertTrue(end.contains(" ERRORS: \(Self.faults.count * 2) "), end)
        XCTAssertTrue(end.contains(" FILES: 1014 "), end)
    }

    func testNoIsolationAndThreadCountsGiveTheSameFindings() throws {
        let plugins = try plugins(faulty: false)
        let (root, flagged, _) = try tree()
        var sets: [Set<String>] = []
        for flags in [["--threads", "1"], ["--threads", "4"], ["--no-isolation", "--threads", "2"]] {
            let out = try temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", root, "-e", out, "--json"] + flags)
            XCTAssertEqual(run.status, 1, run.stderr)
            sets.append(try findings(out))
        }
        XCTAssertEqual(sets[0].count, flagged.count)
        XCTAssertEqual(sets[0], sets[1])
        XCTAssertEqual(sets[0], sets[2])
    }

    /// Workers are replaced after --worker-recycle objects (checked after each batch of up to 32) or
    /// --worker-recycle-bytes, and nothing is lost on the way.
    func testWorkersAreRecycledWithoutLosingFindings() throws {
        let plugins = try plugins(faulty: false)
        let (root, flagged, _) = try tree()
        for (flag, value) in [("--worker-recycle", "100"), ("--worker-recycle-bytes", "2000")] {
            let out = try temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "strings-example", "-p", root, "-e", out, "--json",
                                           "--threads", "1", "--debug", flag, value])
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertEqual(try findings(out).count, flagged.count)
            let recycled = run.stdout.split(separator: "\n").filter { $0.contains("Replacing a worker that reached its recycle limit") }
            for line in recycled {
                let objects = Int(line.components(separatedBy: " OBJECTS: ").last?.prefix { $0.isNumber } ?? "") ?? -1
                let bytes = Int(line.components(separatedBy: " BYTES: ").last?.prefix { $0.isNumber } ?? "") ?? -1
                if flag == "--worker-recycle" {
                    XCTAssertTrue((100..<132).contains(objects), String(line))
                } else {
                    XCTAssertTrue(bytes >= 2000 && bytes < 2000 + 32 * 40, String(line))
                }
            }
            // 1,014 files of 15-40 bytes: at least one replacement per 131 objects, or per ~2,600 bytes read.
            XCTAssertGreaterThanOrEqual(recycled.count, flag == "--worker-recycle" ? 7 : 8, run.stdout)
        }
    }

    /// Garbage on the socket from a file in the middle of a batch (one in 301, in readdir order) is
    /// blamed on that file and its module, not on the first file of the batch whose "done" frame
    /// the worker had not sent yet: the module announcement before each file carries them out.
    func testGarbageIsBlamedOnTheFileAndModuleThatWroteIt() throws {
        let plugins = try plugins(faulty: true)
        let root = try temporaryFolder("tree")
        for i in 0..<300 { try root.write("f\(i).txt", "ordinary file \(i)\n") }
        let garbage = try root.write("marker.txt", "FAULT:garbage")
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", root.path, "--nolog", "--threads", "1"])
        XCTAssertEqual(run.status, 2, run.stderr)
        let died = run.stdout.split(separator: "\n").filter { $0.contains("Worker died while scanning") }
        XCTAssertEqual(died.count, 1, run.stdout)
        XCTAssertTrue(died.first?.contains("Error: MODULE: fault SCANID: ") == true, run.stdout)
        XCTAssertTrue(died.first?.contains(" MESSAGE: Worker died while scanning FILE: \(garbage) REASON: protocol error: frame ") == true, run.stdout)
        XCTAssertTrue(run.stdout.contains(" ERRORS: 1 FILES: 301 "), run.stdout)
    }

    func testDeadlineMessage() throws {
        let plugins = try plugins(faulty: true)
        let root = try temporaryFolder("tree")
        let hang = try root.write("hang.txt", "FAULT:loop")
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", root.path, "--nolog", "--object-timeout", "1"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stdout.contains("Error: MODULE: fault SCANID: "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Worker died while scanning FILE: \(hang) REASON: exceeded the object deadline of 1s\n"), run.stdout)
    }

    func testMemoryLimitMessage() throws {
        let plugins = try plugins(faulty: true)
        let root = try temporaryFolder("tree")
        let greedy = try root.write("greedy.txt", "FAULT:alloc")
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", root.path, "--nolog", "--worker-memory", "128"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Worker died while scanning FILE: \(greedy) REASON: exceeded the worker memory limit of 128 MB (resident "), run.stdout)
    }

    func testAModuleThatKeepsFailingIsDisabled() throws {
        let plugins = try plugins(faulty: true)
        let root = try temporaryFolder("tree")
        for i in 0..<5 { try root.write("crash\(i).txt", "FAULT:segv") }
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "fault", "-p", root.path, "--nolog"])
        XCTAssertEqual(run.status, 2)
        let died = run.stdout.split(separator: "\n").filter { $0.contains("Worker died while scanning") }
        XCTAssertEqual(died.count, 3, run.stdout)
        XCTAssertTrue(run.stdout.contains("Error: MODULE: fault SCANID: "), run.stdout)
        XCTAssertTrue(run.stdout.contains(" MESSAGE: Module disabled for the rest of the scan after 3 failures\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" ERRORS: 4 FILES: 5 "), run.stdout)
    }
}
