import Foundation
import TestSupport
import XCTest

/// The product: `thor --thunderstorm` with the host's workers and the shipped signatures, driven
/// over loopback with raw HTTP and with the real thunderstorm-cli.
final class HostServiceTests: XCTestCase {
    private func requireThor() throws { _ = try ThorService.requireThor() }

    private func check(_ service: ThorService, name: String, content: [UInt8], source: String? = nil) throws -> [[String: Any]] {
        let boundary = "b0undary"
        let target = "/api/check" + (source.map { "?source=\($0)" } ?? "")
        let response = try RawHTTP(port: service.port).post(target, contentType: "multipart/form-data; boundary=\(boundary)",
                                                            body: RawHTTP.multipart(boundary: boundary, parts: [RawHTTP.filePart(name, content)]))
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap(try response.json() as? [[String: Any]], response.text)
    }

    func testSamplesGoThroughTheHostPipelineAndItsLogs() throws {
        try requireThor()
        let service = try ThorService(["--modules", "yara,ioc"])
        defer { service.stop() }
        XCTAssertEqual(try check(service, name: "notes.txt", content: Array("nothing here\n".utf8)).count, 0)

        let findings = try check(service, name: "C:\\Users\\bob\\Downloads\\eicar.com", content: Samples.eicar, source: "WKS-7")
        XCTAssertEqual(findings.count, 1)
        let finding = findings[0]
        let context = try XCTUnwrap(finding["context"] as? [String: Any])
        XCTAssertEqual(context["file"] as? String, "C:\\Users\\bob\\Downloads\\eicar.com")
        XCTAssertEqual(context["md5"] as? String, Samples.eicarMD5)
        XCTAssertEqual(context["sha1"] as? String, Samples.eicarSHA1)
        XCTAssertEqual(context["size"] as? Int, 68)
        let matches = try XCTUnwrap(finding["matches"] as? [[String: Any]])
        let classes = Set(matches.compactMap { $0["sigclass"] as? String })
        XCTAssertTrue(classes.isSubset(of: ["YARA Rule", "Hash IOC"]) && !classes.isEmpty, "\(classes)")
        for match in matches {
            XCTAssertEqual(Set(match.keys), ["matched", "reason", "ref", "ruledate", "rulename", "subscore", "tags",
                                             "author", "sigclass", "sigtype"])
        }
        XCTAssertEqual(context["reasons_count"] as? Int, 4) // the EICAR YARA rule and the three hash IOCs
        let level = try XCTUnwrap(finding["level"] as? String)
        // Without `source` the host name is the client's reverse-DNS name (loopback: localhost here).
        XCTAssertEqual(try check(service, name: "/no/source/eicar.com", content: Samples.eicar).count, 1)

        // The finding is in the scan's text and JSON logs, with the sample's source as host name.
        service.stop()
        let text = try service.logLines(".txt")
        let line = try XCTUnwrap(text.first { $0.contains("FILE: C:\\Users\\bob\\Downloads\\eicar.com ") }, text.joined(separator: "\n"))
        XCTAssertTrue(line.contains(" WKS-7 THOR: \(level): MODULE: Filescan "), line)
        XCTAssertTrue(line.contains(" MD5: \(Samples.eicarMD5) "), line)
        let unsourced = try XCTUnwrap(text.first { $0.contains("FILE: /no/source/eicar.com ") }, text.joined(separator: "\n"))
        XCTAssertTrue(unsourced.contains(" localhost THOR: \(level): MODULE: Filescan "), unsourced)
        let json = try service.logLines(".json").filter { $0.contains("\"THOR finding\"") }
        XCTAssertEqual(json.count, 2)
        XCTAssertTrue(json[0].contains("\"hostname\":\"WKS-7\""), json[0])
        XCTAssertTrue(json[1].contains("\"hostname\":\"localhost\""), json[1])
    }

    /// An uploaded archive is scanned with its members (every module by default): a member's
    /// finding answers for the sample.
    func testAnArchiveSampleIsAnsweredByItsMembers() throws {
        try requireThor()
        let service = try ThorService(["--modules", "archive,yara,ioc"])
        defer { service.stop() }
        let folder = try temporaryFolder("zip").path
        let zip = try ZIPMaker.make([("docs/readme.txt", Data("nothing\n".utf8), true), ("tools/eicar.com", Data(Samples.eicar), true)],
                                    at: folder + "/tools.zip")
        let findings = try check(service, name: "C:\\Users\\bob\\Downloads\\tools.zip", content: Array(zip))
        XCTAssertEqual(findings.count, 1)
        // The answer names the sample as uploaded, with its own digests; the reasons are the member's.
        let context = try XCTUnwrap(findings.first?["context"] as? [String: Any])
        XCTAssertEqual(context["file"] as? String, "C:\\Users\\bob\\Downloads\\tools.zip")
        XCTAssertEqual(context["type"] as? String, "ZIP")
        XCTAssertEqual(context["size"] as? Int, zip.count)
        for (tool, key) in [("md5sum", "md5"), ("sha1sum", "sha1"), ("sha256sum", "sha256")] {
            XCTAssertEqual(context[key] as? String, try ChildProcess.digest(tool, of: folder + "/tools.zip"), key)
        }
        XCTAssertEqual(context["reasons_count"] as? Int, 4) // the EICAR YARA rule and the three hash IOCs
        let classes = Set(try XCTUnwrap(findings.first?["matches"] as? [[String: Any]]).compactMap { $0["sigclass"] as? String })
        XCTAssertTrue(classes.isSubset(of: ["YARA Rule", "Hash IOC"]) && !classes.isEmpty, "\(classes)")
        // The log names the member.
        service.stop()
        let text = try service.logLines(".txt")
        XCTAssertTrue(text.contains { $0.contains("MODULE: Filescan") && $0.contains(" FILE: C:\\Users\\bob\\Downloads\\tools.zip|tools/eicar.com ") },
                      text.joined(separator: "\n"))
    }

    func testWorkersGoByTheirOwnNameInPsAndTop() throws {
        try requireThor()
        let service = try ThorService(["--modules", "yara"], threads: 2)
        defer { service.stop() }
        let pid = service.process.processIdentifier
        let comm = { (pid: String) in (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines) }
        let children = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards) else { return false }
            return stat[afterName.upperBound...].split(separator: " ").dropFirst().first == Substring(String(pid))
        }
        XCTAssertEqual(comm(String(pid)), "thor")
        XCTAssertEqual(children.compactMap(comm), ["thor-worker", "thor-worker"])
    }

    func testConcurrentSamplesBatchedToWorkersGetTheirOwnAnswers() throws {
        try requireThor()
        // 24 requests at once on 2 workers with 4 admissions each: samples travel in batches.
        let service = try ThorService(["--modules", "yara,ioc"])
        defer { service.stop() }
        let results = StatusBox(count: 24)
        let files = FileBox(count: 24)
        let group = DispatchGroup()
        for i in 0..<24 {
            group.enter()
            Thread {
                defer { group.leave() }
                let findings = try? self.check(service, name: "/batch/\(i).com", content: i % 3 == 0 ? Samples.eicar : Array("clean \(i)\n".utf8))
                results.set(i, findings?.count ?? -1)
                files.set(i, (findings?.first?["context"] as? [String: Any])?["file"] as? String)
            }.start()
        }
        group.wait()
        XCTAssertEqual(results.values, (0..<24).map { $0 % 3 == 0 ? 1 : 0 })
        XCTAssertEqual(files.values, (0..<24).map { $0 % 3 == 0 ? "/batch/\($0).com" : nil })
        let status = try RawHTTP(port: service.port).get("/api/status")
        XCTAssertEqual((try status.json() as? [String: Any])?["scanned_samples"] as? Int, 24, status.text)
        // Each finding in the log names its own sample.
        service.stop()
        let logged = try service.logLines(".txt").filter { $0.contains("MD5: \(Samples.eicarMD5)") }
        let names = logged.compactMap { line -> String? in
            guard let start = line.range(of: "FILE: /batch/") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != " " })
        }
        XCTAssertEqual(names.sorted(), (0..<24).filter { $0 % 3 == 0 }.map { "\($0).com" }.sorted())
    }

    /// Samples that wait together go to a worker in one batch; a batch holding a large sample is
    /// answered sample by sample (SampleService.promptAbove), every answer its own sample's.
    func testABatchHoldingALargeSampleAnswersEachSample() throws {
        try requireThor()
        let service = try ThorService(["--modules", "yara,ioc"], threads: 1)
        defer { service.stop() }
        let http = RawHTTP(port: service.port)
        func request(_ name: String, _ content: [UInt8]) -> [UInt8] { http.uploadRequest("/api/check", fileName: name, content, close: false) }
        // The one worker hashes and scans 64 MiB first; meanwhile the small and the 16 MiB sample
        // arrive and wait for it together.
        let first = try RawHTTP.Connection(port: service.port)
        try first.send(request("/batch/first.bin", [UInt8](repeating: 0, count: 64 << 20)))
        let small = try RawHTTP.Connection(port: service.port)
        try small.send(request("/batch/eicar.com", Samples.eicar))
        let large = try RawHTTP.Connection(port: service.port)
        try large.send(request("/batch/large.bin", [UInt8](repeating: 1, count: 16 << 20)))
        for (connection, expected) in [(first, nil), (small, Samples.eicarMD5), (large, nil)] as [(RawHTTP.Connection, String?)] {
            let answer = try connection.readResponse()
            XCTAssertEqual(answer.status, 200, answer.text)
            let findings = try XCTUnwrap(try answer.json() as? [[String: Any]], answer.text)
            XCTAssertEqual(findings.first.flatMap { ($0["context"] as? [String: Any])?["md5"] as? String }, expected, answer.text)
        }
        let status = try RawHTTP(port: service.port).get("/api/status")
        XCTAssertEqual((try status.json() as? [String: Any])?["scanned_samples"] as? Int, 3, status.text)
    }

    /// A sample's finding reaches syslog as the text log's line, with the sample's source as host.
    func testFindingsReachSyslogWithTheSourceAsHost() throws {
        try requireThor()
        let receiver = try SyslogReceiver(tcp: false)
        let service = try ThorService(["--modules", "yara,ioc", "-s", "127.0.0.1:\(receiver.port)"])
        defer { service.stop() }
        XCTAssertEqual(try check(service, name: "C:\\temp\\eicar.com", content: Samples.eicar, source: "WKS-9").count, 1)
        let sent = receiver.messages { $0.contains("FILE: C:\\temp\\eicar.com ") }
        service.stop()
        let logged = try XCTUnwrap(try service.logLines(".txt").first { $0.contains("FILE: C:\\temp\\eicar.com ") })
        XCTAssertTrue(logged.contains(" WKS-9 THOR: "), logged)
        XCTAssertEqual(sent.count, 1, "\(receiver.messages(atLeast: 0, timeout: 0))")
        XCTAssertEqual(sent.first.map { String($0.drop { $0 != ">" }.dropFirst()) }, logged)
    }

    /// Without log files the service has opened no file before its workers start, so the descriptors it
    /// hands them are the lowest ones, the very numbers they must take in the worker.
    func testWorkersStartWhenTheServiceOpenedNoLogFile() throws {
        try requireThor()
        let service = try ThorService(["--modules", "yara,ioc"], logFiles: false)
        defer { service.stop() }
        let findings = try check(service, name: "eicar.com", content: Samples.eicar)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual((findings.first?["context"] as? [String: Any])?["md5"] as? String, Samples.eicarMD5)
    }

    /// A port that is taken is a start-up error that names the address, not a "stopped" service.
    func testATakenPortStopsTheStartWithTheAddress() throws {
        try requireThor()
        let first = try ThorService(["--modules", "ioc"])
        defer { first.stop() }
        let upload = try TemporaryFolder("ts-up-second")
        let second = try ChildProcess.run(try ThorService.requireThor(), [
            "--thunderstorm", "--server-port", String(first.port), "--server-upload-dir", upload.path,
            "--modules", "ioc", "--nolog", "--nocolor"])
        XCTAssertEqual(second.status, 3, second.stderr)
        XCTAssertTrue(second.stderr.contains("Thunderstorm service could not start on 127.0.0.1:\(first.port): "), second.stderr)
        XCTAssertTrue(second.stderr.contains("Address already in use"), second.stderr)
    }

    /// An upload folder that cannot be made stops the start like any start-up error (exit 3, not the
    /// 1 of "findings"), with the reason, and the scan log is closed with its end line.
    func testAnUploadFolderThatCannotBeMadeStopsTheStart() throws {
        try requireThor()
        let dir = try temporaryFolder("ts-upload-dir")
        let file = try dir.write("a-file", "not a folder")
        let logs = dir.path + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: false)
        let run = try ChildProcess.run(try ThorService.requireThor(), [
            "--thunderstorm", "--server-port", "0", "--server-upload-dir", file + "/uploads",
            "--modules", "ioc", "-e", logs, "--nocolor"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("thor: error: Thunderstorm service could not start: mkdir \(file)/uploads: Not a directory"), run.stderr)
        let log = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: logs).first { $0.hasSuffix(".txt") })
        let lines = try String(contentsOfFile: logs + "/" + log, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines.last?.contains("Thor Scan finished") ?? false, "\(lines.suffix(3))")
    }

    func testPureYaraAppliesYaraOnly() throws {
        try requireThor()
        let service = try ThorService(["--pure-yara"])
        defer { service.stop() }
        let findings = try check(service, name: "eicar.com", content: Samples.eicar)
        let matches = try XCTUnwrap(findings.first?["matches"] as? [[String: Any]], "\(findings)")
        XCTAssertEqual(Set(matches.compactMap { $0["sigclass"] as? String }), ["YARA Rule"])
        XCTAssertEqual((findings.first?["context"] as? [String: Any])?["reasons_count"] as? Int, 1)
    }

    /// /api/info names what the modules reported while the workers started: libyara's version
    /// (here checked against the yara CLI, built from the same Debian source package) and the
    /// signature set's newest file.
    func testInfoNamesTheYaraLibraryAndTheSignatureVersion() throws {
        try requireThor()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/yara") else { throw XCTSkip("no yara CLI (scripts/install-deps.sh installs it)") }
        let yara = try ChildProcess.run("/usr/bin/yara", ["--version"], mergeOutput: false)
        XCTAssertEqual(yara.status, 0)
        let dir = try temporaryFolder("ts-versions")
        let rule = try dir.write("rules/marker.yar", "rule Marker { strings: $a = \"version marker\" condition: $a }\n")
        let iocs = try dir.write("iocs/extra-hash-iocs.txt", "\(String(repeating: "ab", count: 16));version test\n")
        // Newer than every shipped signature file: 2030-01-02 03:04:05 UTC, and an older IOC file.
        for (path, seconds) in [(rule, 1_893_553_445), (iocs, 1_875_514_150)] {
            var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
            XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        }
        let service = try ThorService(["--modules", "yara,ioc", "--yara-dir", dir.path + "/rules", "--ioc-dir", dir.path + "/iocs"])
        defer { service.stop() }
        let response = try RawHTTP(port: service.port).get("/api/info")
        let info = try XCTUnwrap(try response.json() as? [String: Any], response.text)
        XCTAssertEqual(info["yara_version"] as? String, yara.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(info["signature_version"] as? String, "2030/01/02-030405")
        XCTAssertEqual(info["sigma_version"] as? String, "", "the sigma module is not active")
        XCTAssertEqual((info["version_info"] as? [String: Any])?["signatures"] as? String, "2030/01/02-030405")
        // The executable's modification time, in UTC.
        let written = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: ThorService.requireThor())[.modificationDate] as? Date)
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        XCTAssertEqual(info["thor_timestamp"] as? String, format.string(from: written))
        service.stop()
        let started = try XCTUnwrap(try service.logLines(".txt").first { $0.contains("MESSAGE: Active modules: ") })
        XCTAssertTrue(started.contains(" SIGNATURES: 2030/01/02-030405 YARA: \(info["yara_version"] as? String ?? "?")"), started)
    }

    func testDirectoryScanThroughTheRealClient() throws {
        try requireThor()
        try ClientTests.requireCLI()
        let cli = ClientTests.cli
        let service = try ThorService(["--modules", "yara,ioc"])
        defer { service.stop() }
        let dir = try temporaryFolder("ts-samples").path
        for i in 0..<6 { try Data(i % 2 == 0 ? Samples.eicar : Array("clean \(i)".utf8)).write(to: URL(fileURLWithPath: "\(dir)/s\(i).com")) }
        let run = try ChildProcess.run(cli, ["-t", "127.0.0.1", "-p", String(service.port), "--scan", "-d", dir, "-n", "4"], mergeOutput: true)
        let output = run.stdout
        XCTAssertEqual(run.status, 0, output)
        XCTAssertTrue(output.contains("FOUND: 6 SELECTED: 6 PROCESSED: 6"), output)
        XCTAssertEqual(output.components(separatedBy: "'md5': '\(Samples.eicarMD5)'").count - 1, 3, output)
        let status = try RawHTTP(port: service.port).get("/api/status")
        XCTAssertEqual((try status.json() as? [String: Any])?["scanned_samples"] as? Int, 6, status.text)
    }
}

/// Optional strings collected from several threads.
final class FileBox: @unchecked Sendable {
    private let lock = NSLock()
    private var strings: [String?]

    init(count: Int) { strings = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: String?) {
        lock.lock()
        strings[index] = value
        lock.unlock()
    }

    var values: [String?] {
        lock.lock()
        defer { lock.unlock() }
        return strings
    }
}
