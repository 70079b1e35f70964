import Foundation
import TestSupport
import XCTest

/// The async queue survives SIGKILL: every sample answered with an id is scanned after a restart,
/// and finished results survive restarts too.
final class DurabilityTests: XCTestCase {
    private func submitAsync(_ http: RawHTTP, _ name: String, _ content: [UInt8]) throws -> Int {
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart(name, content)])
        let response = try http.post("/api/checkAsync?source=durable", contentType: "multipart/form-data; boundary=b", body: body)
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap((try response.json() as? [String: Any])?["id"] as? Int)
    }

    private func result(_ http: RawHTTP, _ id: Int) throws -> [String: Any] {
        try XCTUnwrap(try http.get("/api/getAsyncResults?id=\(id)").json() as? [String: Any])
    }

    func testSamplesQueuedBeforeSIGKILLAreScannedAfterRestart() throws {
        let dir = try temporaryFolder("ts-durable").path
        // One slot and slow scans, so most samples are still queued when the process dies.
        let first = try TestServer(arguments: ["--threads", "1", "--scan-delay-ms", "3000"], uploadDirectory: dir)
        let http1 = RawHTTP(port: first.port)
        var expected: [Int: String?] = [:]
        for i in 0..<6 {
            let detected = i % 2 == 0
            let id = try submitAsync(http1, "/samples/s\(i).bin", detected ? Samples.eicar : Samples.clean)
            expected[id] = detected ? "Alert" : nil
        }
        let status = try XCTUnwrap(try http1.get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["queued_async_requests"] as? Int, 6)
        let queuedState = try result(http1, expected.keys.max()!)
        XCTAssertEqual(queuedState["status"] as? String, "Waiting for execution")
        first.kill9()

        let second = try TestServer(arguments: ["--threads", "2"], uploadDirectory: dir)
        let http2 = RawHTTP(port: second.port)
        for (id, level) in expected.sorted(by: { $0.key < $1.key }) {
            var state: [String: Any] = [:]
            for _ in 0..<100 {
                state = try result(http2, id)
                if state["status"] as? String == "Sample analysis complete" { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            XCTAssertEqual(state["status"] as? String, "Sample analysis complete", "id \(id)")
            let findings = try XCTUnwrap(state["result"] as? [[String: Any]], "id \(id)")
            XCTAssertEqual(findings.first?["level"] as? String, level, "id \(id)")
            if level != nil {
                XCTAssertEqual((findings.first?["context"] as? [String: Any])?["file"] as? String, "/samples/s\((id - expected.keys.min()!)).bin")
            }
        }
        // Ids keep growing across the crash.
        let next = try submitAsync(http2, "/samples/after.bin", Samples.clean)
        XCTAssertGreaterThan(next, expected.keys.max()!)
        second.kill9()

        // Finished results are still there after another hard restart.
        let third = try TestServer(uploadDirectory: dir)
        defer { third.stop() }
        let http3 = RawHTTP(port: third.port)
        for (id, level) in expected {
            let state = try result(http3, id)
            XCTAssertEqual(state["status"] as? String, "Sample analysis complete")
            XCTAssertEqual((state["result"] as? [[String: Any]])?.first?["level"] as? String, level)
        }
        // Nothing is left in the queue directory.
        let pending = try FileManager.default.contentsOfDirectory(atPath: dir + "/queue/pending")
        XCTAssertEqual(pending, [])
    }
}
