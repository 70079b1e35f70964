import Foundation
import XCTest

/// --sync-only-threads and 503 + Retry-After on /api/check; /api/checkAsync is never refused.
final class BackPressureTests: XCTestCase {
    func testBusySyncSlotsGive503WithRetryAfterButAsyncIsAccepted() throws {
        // 2 slots, 1 reserved for sync, no waiting list, 1.5 s per scan.
        let server = try TestServer(arguments: ["--threads", "2", "--sync-only-threads", "1", "--sync-wait-limit", "0", "--scan-delay-ms", "1500"])
        defer { server.stop() }
        let http = RawHTTP(port: server.port)
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/x/clean.txt", Samples.clean)])
        let contentType = "multipart/form-data; boundary=b"

        // Async samples may use only the unreserved slot, however many are queued.
        for _ in 0..<3 { XCTAssertEqual(try http.post("/api/checkAsync", contentType: contentType, body: body).status, 200) }
        Thread.sleep(forTimeInterval: 0.2)

        // The reserved slot still serves a sync request ...
        let group = DispatchGroup()
        let firstStatus = StatusBox()
        group.enter()
        DispatchQueue.global().async {
            firstStatus.set(0, (try? http.post("/api/check", contentType: contentType, body: body).status) ?? -1)
            group.leave()
        }
        Thread.sleep(forTimeInterval: 0.3)
        // ... and with both slots busy the next one is refused with an integer Retry-After.
        let refused = try http.post("/api/check", contentType: contentType, body: body)
        XCTAssertEqual(refused.status, 503, refused.text)
        let retryAfter = try XCTUnwrap(refused.header("Retry-After"))
        XCTAssertNotNil(Int(retryAfter), "Retry-After must be whole seconds: \(retryAfter)")
        XCTAssertGreaterThanOrEqual(Int(retryAfter) ?? 0, 1)
        XCTAssertEqual((try refused.json() as? [String: Any])?["message"] as? String, "Too many simultaneous requests, retry later")
        // Async is queued, never refused.
        let queued = try http.post("/api/checkAsync", contentType: contentType, body: body)
        XCTAssertEqual(queued.status, 200, queued.text)
        XCTAssertNotNil((try queued.json() as? [String: Any])?["id"] as? Int)

        group.wait()
        XCTAssertEqual(firstStatus.values, [200])
        let status = try XCTUnwrap(try http.get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["denied_requests"] as? Int, 1)
        let denied = try XCTUnwrap(try http.get("/api/deniedHistory").json() as? [String: Int])
        XCTAssertEqual(denied.values.reduce(0, +), 1)
    }

    func testSyncRequestsWaitForASlotWithinTheWaitLimit() throws {
        let server = try TestServer(arguments: ["--threads", "1", "--sync-wait-limit", "4", "--scan-delay-ms", "300"])
        defer { server.stop() }
        let http = RawHTTP(port: server.port)
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/x/e.com", Samples.eicar)])
        let statuses = StatusBox(count: 4)
        // Real threads: concurrentPerform would run only as many at once as there are cores.
        let group = DispatchGroup()
        for i in 0..<4 {
            group.enter()
            Thread {
                statuses.set(i, (try? http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: body).status) ?? -1)
                group.leave()
            }.start()
        }
        group.wait()
        XCTAssertEqual(statuses.values, [200, 200, 200, 200])
        let status = try XCTUnwrap(try http.get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["scanned_samples"] as? Int, 4)
        XCTAssertEqual(status["quota_waits"] as? Int, 3)
        XCTAssertEqual(status["denied_requests"] as? Int, 0)
    }

    /// A scanned async sample gives its slot back before its result is written (a slow disk must
    /// not hold the workers idle): with one slot and results that take 1.5 s to record, the next
    /// samples are scanned meanwhile, and every result arrives.
    func testASlowResultWriteDoesNotHoldTheScanSlot() throws {
        let server = try TestServer(arguments: ["--threads", "1", "--result-delay-ms", "1500"])
        defer { server.stop() }
        let http = RawHTTP(port: server.port)
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/x/clean.txt", Samples.clean)])
        var ids: [Int] = []
        for _ in 0..<4 {
            let queued = try http.post("/api/checkAsync", contentType: "multipart/form-data; boundary=b", body: body)
            ids.append(try XCTUnwrap((try queued.json() as? [String: Any])?["id"] as? Int, queued.text))
        }
        func state(_ id: Int) throws -> String {
            let answer = try http.get("/api/getAsyncResults?id=\(id)")
            return try XCTUnwrap((try answer.json() as? [String: Any])?["status"] as? String, answer.text)
        }
        // Well within the first result's write: all four were taken for scanning, none is waiting.
        Thread.sleep(forTimeInterval: 0.6)
        XCTAssertEqual(try ids.map(state), Array(repeating: "Currently being scanned", count: 4))
        let deadline = Date().addingTimeInterval(10)
        while try ids.map(state).contains(where: { $0 != "Sample analysis complete" }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(try ids.map(state), Array(repeating: "Sample analysis complete", count: 4))
    }
}

/// HTTP statuses collected from several threads.
final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int]

    init(count: Int = 1) { statuses = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ status: Int) {
        lock.lock()
        statuses[index] = status
        lock.unlock()
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return statuses
    }
}
