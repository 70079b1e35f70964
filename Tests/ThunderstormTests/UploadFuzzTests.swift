import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Broken uploads, fed raw over loopback: requests with bytes flipped, inserted, cut or dropped,
/// pipelined and sent in odd pieces, some with the write side shut. The service must stay up,
/// answer afterwards, leave no partial upload behind and hold no more descriptors than before.
final class UploadFuzzTests: XCTestCase {
    private func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    func testBrokenRequestsLeaveTheServiceWorkingAndClean() throws {
        let server = try TestServer(arguments: ["--threads", "2"])
        defer { server.stop() }
        var random = SeededGenerator(state: 7)
        let targets = ["/api/check", "/api/checkAsync", "/api/v1/check", "/api/status", "/"]
        func request() -> [UInt8] {
            let content = (0..<Int.random(in: 0...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return RawHTTP(port: server.port).uploadRequest(targets.randomElement(using: &random)!, fileName: "/fuzz/a.bin", content, close: false)
        }
        func broken(_ bytes: [UInt8]) -> [UInt8] {
            var out = bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) where !out.isEmpty {
                let at = Int.random(in: 0..<out.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: out[at] = UInt8.random(in: 0...255, using: &random)
                case 1: out.insert(contentsOf: (0..<Int.random(in: 1...20, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
                case 2: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...20, using: &random)))
                default: out.removeSubrange(at...)
                }
            }
            return out
        }
        // Warm: the first answers open what the service keeps (memory files, the queue and its
        // flusher's folder descriptor).
        XCTAssertEqual(try RawHTTP(port: server.port).get("/api/status").status, 200)
        let warm = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/warm/a.txt", Array("warm".utf8))])
        XCTAssertEqual(try RawHTTP(port: server.port).post("/api/checkAsync", contentType: "multipart/form-data; boundary=b", body: warm).status, 200)
        XCTAssertEqual(try RawHTTP(port: server.port).post("/api/check", contentType: "multipart/form-data; boundary=b", body: warm).status, 200)
        let descriptorsBefore = openDescriptors(server.pid)
        XCTAssertGreaterThan(descriptorsBefore, 0)

        for _ in 0..<120 {
            let connection = try RawHTTP.Connection(port: server.port)
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(connection.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let whole = request()
                bytes += Int.random(in: 0..<10, using: &random) < 7 ? broken(whole) : whole
            }
            var offset = 0
            while offset < bytes.count {
                let piece = min(bytes.count - offset, Int.random(in: 1...4000, using: &random))
                try? connection.send(Array(bytes[offset..<(offset + piece)]))
                offset += piece
            }
            if Bool.random(using: &random) { shutdown(connection.fd, Int32(SHUT_WR)) }
            // Whatever comes back, until the service closes or goes quiet.
            while (try? connection.fill()) == true {}
        }

        let status = try RawHTTP(port: server.port).get("/api/status")
        XCTAssertEqual(status.status, 200, status.text)
        // Async samples that did get through are scanned; nothing waits forever.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline,
              (try? RawHTTP(port: server.port).get("/api/status").json() as? [String: Any])??["queued_async_requests"] as? Int != 0 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/incoming"), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/queue/pending"), [])
        // Closed connections gave their descriptors back (memory files return to their pool).
        XCTAssertLessThanOrEqual(openDescriptors(server.pid), descriptorsBefore + 2)
        let clean = try RawHTTP(port: server.port).post("/api/check", contentType: "multipart/form-data; boundary=b",
                                                         body: RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/x/eicar.com", Samples.eicar)]))
        XCTAssertEqual(clean.status, 200, clean.text)
        XCTAssertEqual((try clean.json() as? [[String: Any]])?.first?["level"] as? String, "Alert")
    }
}
