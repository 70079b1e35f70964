import Foundation
import TestSupport
import XCTest

/// The async queue and back-pressure of the real `thor --thunderstorm` (host workers, shipped
/// signatures); the C fault module's `FAULT:loop` samples keep workers busy on demand.
final class HostQueueTests: XCTestCase {
    private let multipart = "multipart/form-data; boundary=b"
    private static let busy = Array("FAULT:loop\n".utf8)

    override func setUpWithError() throws {
        _ = try ThorService.requireThor()
    }

    private func body(_ name: String, _ content: [UInt8]) -> [UInt8] {
        RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart(name, content)])
    }

    private func submitAsync(_ http: RawHTTP, _ name: String, _ content: [UInt8]) throws -> Int {
        let response = try http.post("/api/checkAsync?source=WKS-9", contentType: multipart, body: body(name, content))
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap((try response.json() as? [String: Any])?["id"] as? Int, response.text)
    }

    /// A plugin folder with the C fault module (`FAULT:loop` keeps a worker busy until --object-timeout).
    private func faultPlugins() throws -> String {
        let dir = try temporaryFolder("ts-plugins").path
        try CModule.build(CModule.faultModuleSource, named: "fault", into: dir)
        return dir
    }

    private func state(_ http: RawHTTP, _ id: Int) throws -> [String: Any] {
        try XCTUnwrap(try http.get("/api/getAsyncResults?id=\(id)").json() as? [String: Any])
    }

    func testSamplesQueuedBeforeSIGKILLAreScannedAfterRestart() throws {
        let plugins = try faultPlugins()
        let uploads = try temporaryFolder("ts-host-durable").path
        // One worker, held by the first sample, so the others are still queued when thor dies.
        let first = try ThorService(["--modules", "yara,ioc,fault", "--plugin-dir", plugins, "--object-timeout", "60"],
                                    uploadDirectory: uploads, threads: 1)
        let http1 = RawHTTP(port: first.port)
        var expected: [(id: Int, name: String, detected: Bool)] = []
        expected.append((try submitAsync(http1, "/q/busy.txt", Self.busy), "/q/busy.txt", false))
        for i in 0..<5 {
            let name = "C:\\q\\s\(i).com"
            expected.append((try submitAsync(http1, name, i % 2 == 0 ? Samples.eicar : Samples.clean), name, i % 2 == 0))
        }
        Thread.sleep(forTimeInterval: 0.5)
        let status = try XCTUnwrap(try http1.get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["queued_async_requests"] as? Int, 6)
        XCTAssertEqual(try state(http1, expected[0].id)["status"] as? String, "Currently being scanned")
        XCTAssertEqual(try state(http1, expected[5].id)["status"] as? String, "Waiting for execution")
        first.kill9()

        // Restarted without the fault module: every answered id is scanned.
        let second = try ThorService(["--modules", "yara,ioc"], uploadDirectory: uploads)
        defer { second.stop() }
        let http2 = RawHTTP(port: second.port)
        for sample in expected {
            var result: [String: Any] = [:]
            for _ in 0..<300 {
                result = try state(http2, sample.id)
                if result["status"] as? String == "Sample analysis complete" { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            XCTAssertEqual(result["status"] as? String, "Sample analysis complete", "id \(sample.id)")
            let findings = try XCTUnwrap(result["result"] as? [[String: Any]], "id \(sample.id)")
            guard sample.detected else {
                XCTAssertEqual(findings.count, 0, "id \(sample.id): \(findings)")
                continue
            }
            XCTAssertEqual(findings.count, 1, "id \(sample.id)")
            let context = try XCTUnwrap(findings.first?["context"] as? [String: Any])
            XCTAssertEqual(context["file"] as? String, sample.name)
            XCTAssertEqual(context["md5"] as? String, Samples.eicarMD5)
            XCTAssertEqual(context["sample_id"] as? Int, sample.id)
            XCTAssertEqual(context["reasons_count"] as? Int, 4) // the EICAR YARA rule and the three hash IOCs
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: uploads + "/queue/pending"), [])
        // The findings of the recovered samples reach the restarted scan's log under their source.
        second.stop()
        let lines = try second.logLines(".txt").filter { $0.contains(" WKS-9 THOR: ") && $0.contains("MD5: \(Samples.eicarMD5)") }
        XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
    }

    func testBusySyncSlotsGive503WithRetryAfterWhileAsyncIsQueued() throws {
        let plugins = try faultPlugins()
        // 2 workers, 1 reserved for /api/check, one sample per worker, no waiting list; a FAULT:loop
        // sample holds its worker 3 s.
        let service = try ThorService(["--modules", "yara,ioc,fault", "--plugin-dir", plugins, "--object-timeout", "3",
                                       "--sync-only-threads", "1", "--server-samples-per-thread", "1", "--server-sync-wait-limit", "0"])
        defer { service.stop() }
        let http = RawHTTP(port: service.port)
        // Async samples use only the unreserved worker, however many are queued.
        for i in 0..<2 { _ = try submitAsync(http, "/q/busy\(i).txt", Self.busy) }
        Thread.sleep(forTimeInterval: 0.3)

        // The reserved worker still serves /api/check ...
        let held = StatusBox()
        let done = DispatchGroup()
        done.enter()
        Thread {
            held.set(0, (try? http.post("/api/check", contentType: self.multipart, body: self.body("/q/busy-sync.txt", Self.busy)).status) ?? -1)
            done.leave()
        }.start()
        Thread.sleep(forTimeInterval: 0.5)
        // ... and with both workers busy the next one is refused with whole seconds to wait.
        let refused = try http.post("/api/check", contentType: multipart, body: body("/q/clean.txt", Samples.clean))
        XCTAssertEqual(refused.status, 503, refused.text)
        let retryAfter = try XCTUnwrap(refused.header("Retry-After"))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(Int(retryAfter), "Retry-After must be whole seconds: \(retryAfter)"), 1)
        XCTAssertEqual((try refused.json() as? [String: Any])?["message"] as? String, "Too many simultaneous requests, retry later")
        // /api/checkAsync is queued, never refused.
        let queued = try http.post("/api/checkAsync", contentType: multipart, body: body("/q/clean.txt", Samples.clean))
        XCTAssertEqual(queued.status, 200, queued.text)
        XCTAssertNotNil((try queued.json() as? [String: Any])?["id"] as? Int, queued.text)

        done.wait()
        XCTAssertEqual(held.values, [200]) // the worker was killed at the deadline; the retry without "fault" answers
        let status = try XCTUnwrap(try http.get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["denied_requests"] as? Int, 1)
    }
}
