import Foundation
import XCTest

/// The product: `thor --thunderstorm` with the host's workers and the shipped signatures, driven
/// over loopback with raw HTTP and with the real thunderstorm-cli.
final class HostServiceTests: XCTestCase {
    /// `thor` as `swift build` left it.
    private static var thor: String {
        URL(fileURLWithPath: TestServer.executable).deletingLastPathComponent().appendingPathComponent("thor").path
    }

    private final class Service {
        let process = Process()
        let port: Int
        let logDirectory: String

        init(_ extra: [String]) throws {
            logDirectory = TestServer.temporaryDirectory("ts-logs")
            process.executableURL = URL(fileURLWithPath: HostServiceTests.thor)
            process.arguments = ["--thunderstorm", "--server-port", "0", "--server-upload-dir", TestServer.temporaryDirectory("ts-up"),
                                 "--threads", "2", "-e", logDirectory, "--json", "--nocolor"] + extra
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let handle = out.fileHandleForReading
            while !text.contains("MESSAGE: Listening ") {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: "MESSAGE: Listening ADDRESS: 127.0.0.1 PORT: "),
                  let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                process.terminate()
                throw NSError(domain: "HostServiceTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "thor did not start: \(text)"])
            }
            self.port = port
            // Keep draining the console so the service never blocks on a full pipe.
            Thread { while !handle.availableData.isEmpty {} }.start()
        }

        func stop() {
            process.interrupt()
            process.waitUntilExit()
        }

        func logLines(_ suffix: String) throws -> [String] {
            let files = try FileManager.default.contentsOfDirectory(atPath: logDirectory).filter { $0.hasSuffix(suffix) }
            guard let file = files.first else { return [] }
            return try String(contentsOfFile: logDirectory + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    private func requireThor() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.thor) else { throw XCTSkip("run `swift build` first: \(Self.thor) is missing") }
    }

    private func check(_ service: Service, name: String, content: [UInt8], source: String? = nil) throws -> [[String: Any]] {
        let boundary = "b0undary"
        let target = "/api/check" + (source.map { "?source=\($0)" } ?? "")
        let response = try RawHTTP(port: service.port).post(target, contentType: "multipart/form-data; boundary=\(boundary)",
                                                            body: RawHTTP.multipart(boundary: boundary, parts: [RawHTTP.filePart(name, content)]))
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap(try response.json() as? [[String: Any]], response.text)
    }

    func testSamplesGoThroughTheHostPipelineAndItsLogs() throws {
        try requireThor()
        let service = try Service(["--modules", "yara,ioc"])
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
        XCTAssertEqual(context["reasons_count"] as? Int, 4) // the EICAR YARA rule and the three hash IOCs
        let level = try XCTUnwrap(finding["level"] as? String)

        // The finding is in the scan's text and JSON logs, with the sample's source as host name.
        service.stop()
        let text = try service.logLines(".txt")
        let line = try XCTUnwrap(text.first { $0.contains("FILE: C:\\Users\\bob\\Downloads\\eicar.com ") }, text.joined(separator: "\n"))
        XCTAssertTrue(line.contains(" WKS-7 THOR: \(level): MODULE: Filescan "), line)
        XCTAssertTrue(line.contains(" MD5: \(Samples.eicarMD5) "), line)
        let json = try service.logLines(".json").filter { $0.contains("\"THOR finding\"") }
        XCTAssertEqual(json.count, 1)
        XCTAssertTrue(json[0].contains("\"hostname\":\"WKS-7\""), json[0])
    }

    func testPureYaraAppliesYaraOnly() throws {
        try requireThor()
        let service = try Service(["--pure-yara"])
        defer { service.stop() }
        let findings = try check(service, name: "eicar.com", content: Samples.eicar)
        let matches = try XCTUnwrap(findings.first?["matches"] as? [[String: Any]], "\(findings)")
        XCTAssertEqual(Set(matches.compactMap { $0["sigclass"] as? String }), ["YARA Rule"])
        XCTAssertEqual((findings.first?["context"] as? [String: Any])?["reasons_count"] as? Int, 1)
    }

    func testDirectoryScanThroughTheRealClient() throws {
        try requireThor()
        let cli = ClientTests.cli
        guard FileManager.default.isExecutableFile(atPath: cli) else { throw XCTSkip("thunderstorm-cli missing: run scripts/setup-test-venv.sh") }
        let service = try Service(["--modules", "yara,ioc"])
        defer { service.stop() }
        let dir = TestServer.temporaryDirectory("ts-samples")
        for i in 0..<6 { try Data(i % 2 == 0 ? Samples.eicar : Array("clean \(i)".utf8)).write(to: URL(fileURLWithPath: "\(dir)/s\(i).com")) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["-t", "127.0.0.1", "-p", String(service.port), "--scan", "-d", dir, "-n", "4"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("FOUND: 6 SELECTED: 6 PROCESSED: 6"), output)
        XCTAssertEqual(output.components(separatedBy: "'md5': '\(Samples.eicarMD5)'").count - 1, 3, output)
        let status = try RawHTTP(port: service.port).get("/api/status")
        XCTAssertEqual((try status.json() as? [String: Any])?["scanned_samples"] as? Int, 6, status.text)
    }
}
