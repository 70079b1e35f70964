import Foundation
import TestSupport
import XCTest

/// The real client, thunderstorm-cli from `pip install thunderstormapi==0.2.0`
/// (scripts/setup-test-venv.sh), against the fixture server over loopback.
final class ClientTests: XCTestCase {
    /// The venv scripts/setup-test-venv.sh fills: $THUNDERSTORM_VENV, with the script's default.
    static var venv: String { ProcessInfo.processInfo.environment["THUNDERSTORM_VENV"] ?? "/tmp/thunderstorm-venv" }
    static var cli: String { venv + "/bin/thunderstorm-cli" }

    struct Run {
        var status: Int32
        var output: String
    }

    static func requireCLI() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.cli) else {
            throw XCTSkip("thunderstorm-cli not found at \(Self.cli); run scripts/setup-test-venv.sh (or set THUNDERSTORM_VENV)")
        }
    }

    private func cli(_ server: TestServer, _ arguments: [String]) throws -> Run {
        let run = try ChildProcess.run(Self.cli, ["-t", "127.0.0.1", "-p", String(server.port)] + (server.scheme == "https" ? ["--ssl"] : [])
                                       + arguments, mergeOutput: true)
        return Run(status: run.status, output: run.stdout)
    }

    /// The JSON object thunderstorm-cli prints for --status/--info/--result (after its banner).
    private func printedJSON(_ run: Run) throws -> [String: Any] {
        guard let start = run.output.range(of: "\n{")?.lowerBound else { throw XCTSkip("no JSON in output: \(run.output)") }
        let text = run.output[start...]
        guard let end = text.range(of: "\n}", options: .backwards)?.upperBound else { throw NSError(domain: "cli", code: 0) }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text[..<end].utf8)) as? [String: Any], run.output)
    }

    func testStatusInfoAndSingleScans() throws {
        try Self.requireCLI()
        let server = try TestServer()
        defer { server.stop() }
        let status = try printedJSON(try cli(server, ["--status"]))
        XCTAssertEqual(status["scanned_samples"] as? Int, 0)
        XCTAssertGreaterThanOrEqual(status["uptime_seconds"] as? Int ?? 0, 1)
        let info = try printedJSON(try cli(server, ["--info"]))
        XCTAssertEqual(info["thor_version"] as? String, "0.0.0-testserver")
        XCTAssertEqual(info["threads"] as? Int, 2)

        let dir = try temporaryFolder("ts-cli")
        let small = try dir.write("small-file.txt", Data(Samples.clean)), eicar = try dir.write("eicar.com", Data(Samples.eicar))
        let clean = try cli(server, ["--scan", "-f", small])
        XCTAssertEqual(clean.status, 0, clean.output)
        XCTAssertTrue(clean.output.hasSuffix("[INFO ] []\n"), clean.output)

        let detected = try cli(server, ["--scan", "-f", eicar])
        XCTAssertEqual(detected.status, 0, detected.output)
        for expected in ["'level': 'Alert'", "'score': 100", "'file': '\(eicar)'", "'ext': '.com'", "'size': 68",
                         "'sha256': '\(Samples.eicarSHA256)'", "'md5': '\(Samples.eicarMD5)'", "'rulename': 'EICAR_Test_File'",
                         "'message': 'Malware file found'", "'module': 'Filescan'"] {
            XCTAssertTrue(detected.output.contains(expected), "missing \(expected) in \(detected.output)")
        }
        XCTAssertFalse(detected.output.contains("Malformed JSON"), detected.output)
        let after = try printedJSON(try cli(server, ["--status"]))
        XCTAssertEqual(after["scanned_samples"] as? Int, 2)
    }

    func testDirectoryScanWithEightThreads() throws {
        try Self.requireCLI()
        let server = try TestServer()
        defer { server.stop() }
        let dir = try temporaryFolder("ts-cli-dir")
        for i in 0..<8 { try dir.write("file\(i).txt", "sample \(i)\n") }
        let eicar = try dir.write("subdir/eicar.com", Data(Samples.eicar)), marker = try dir.write("subdir/marker.bin", Data(Samples.marker))
        let run = try cli(server, ["--scan", "-d", dir.path, "-n", "8", "-m", "1"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("Finished submission FOUND: 10 SELECTED: 10 PROCESSED: 10"), run.output)
        XCTAssertFalse(run.output.contains("Something is wrong with the match object"), run.output)
        XCTAssertFalse(run.output.contains("ERROR"), run.output)
        XCTAssertTrue(run.output.contains("Result returned for FILE: \(eicar)"), run.output)
        XCTAssertTrue(run.output.contains("Result returned for FILE: \(marker)"), run.output)
        let status = try printedJSON(try cli(server, ["--status"]))
        XCTAssertEqual(status["scanned_samples"] as? Int, 10)
    }

    func testAsyncScanResultAndUnknownID() throws {
        try Self.requireCLI()
        let server = try TestServer()
        defer { server.stop() }
        let eicar = try temporaryFolder("ts-cli-async").write("eicar.com", Data(Samples.eicar))
        let submitted = try cli(server, ["--scan", "-f", eicar, "--asyn"])
        XCTAssertEqual(submitted.status, 0, submitted.output)
        let idText = try XCTUnwrap(submitted.output.range(of: #"'id': (\d+)"#, options: .regularExpression).map { submitted.output[$0] }, submitted.output)
        let id = String(idText.dropFirst(6))
        XCTAssertTrue(submitted.output.contains("'file': '\(eicar)'"), submitted.output)

        var result: [String: Any] = [:]
        for _ in 0..<50 {
            result = try printedJSON(try cli(server, ["--result", "-r", id]))
            let status = result["status"] as? String
            XCTAssertTrue(["Waiting for execution", "Currently being scanned", "Sample analysis complete"].contains(status ?? ""), "\(result)")
            if status == "Sample analysis complete" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(result["status"] as? String, "Sample analysis complete")
        let findings = try XCTUnwrap(result["result"] as? [[String: Any]])
        XCTAssertEqual(findings.first?["level"] as? String, "Alert")
        let context = try XCTUnwrap(findings.first?["context"] as? [String: Any])
        XCTAssertEqual(context["sha256"] as? String, Samples.eicarSHA256)
        XCTAssertEqual(context["sample_id"] as? Int, Int(id))

        let unknown = try printedJSON(try cli(server, ["--result", "-r", "999999999"]))
        XCTAssertEqual(unknown["status"] as? String, "error")
        XCTAssertEqual(unknown["status_code"] as? Int, 400)
    }

    func testTLSWithASelfSignedCertificate() throws {
        try Self.requireCLI()
        let tls = try temporaryFolder("ts-tls"), dir = tls.path
        let openssl = try ChildProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                                "-subj", "/CN=127.0.0.1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"])
        guard openssl.status == 0 else { throw XCTSkip("openssl could not make a certificate: \(openssl.stderr)") }
        let server = try TestServer(arguments: ["--cert", dir + "/cert.pem", "--key", dir + "/key.pem"], tls: true)
        defer { server.stop() }
        let status = try printedJSON(try cli(server, ["--status"]))
        XCTAssertNotNil(status["uptime_seconds"] as? Int)
        let eicar = try tls.write("eicar.com", Data(Samples.eicar))
        let detected = try cli(server, ["--scan", "-f", eicar])
        XCTAssertTrue(detected.output.contains("'sha256': '\(Samples.eicarSHA256)'"), detected.output)
    }
}
