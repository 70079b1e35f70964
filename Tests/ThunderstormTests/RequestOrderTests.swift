import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Plain uploads are answered by UploadLane, which hands a connection to Hummingbird at its first
/// request of another shape; with the lane off (as under TLS), by UploadEndpointHandler in front of
/// Hummingbird. Either way the answers must come in request order on one connection, and a graceful
/// stop must still deliver a scan in progress. The fixture scanner holds each sample 300 ms, so a
/// GET sent after an upload would be answered first if nothing kept the order. Failures name the mode.
final class RequestOrderTests: XCTestCase {
    /// Each test runs with the lane and without it.
    private let modes: [[String]] = [[], ["--no-upload-lane"]]

    private func startServer(_ mode: [String]) throws -> TestServer {
        do {
            return try TestServer(arguments: ["--threads", "2", "--scan-delay-ms", "300"] + mode)
        } catch {
            throw XCTSkip("test server did not start: \(error)")
        }
    }

    private func upload(_ name: String, _ content: [UInt8], port: Int) -> [UInt8] {
        RawHTTP(port: port).uploadRequest("/api/check?source=order", fileName: name, content, close: false)
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        for mode in modes {
            let server = try startServer(mode)
            defer { server.stop() }
            let connection = try RawHTTP.Connection(port: server.port)
            // Four requests in one send: slow upload, GET, slow upload, unknown path.
            try connection.send(
                upload("/order/first.bin", Samples.marker, port: server.port)
                    + Array("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
                    + upload("/order/second.txt", Samples.clean, port: server.port)
                    + Array("GET /api/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))

            let first = try connection.readResponse()
            XCTAssertEqual(first.status, 200, "\(mode) " + first.text)
            let findings = try XCTUnwrap(try first.json() as? [[String: Any]])
            XCTAssertEqual(findings.count, 1, "\(mode)")
            XCTAssertEqual(findings.first?["level"] as? String, "Warning", "\(mode)")
            XCTAssertEqual((findings.first?["context"] as? [String: Any])?["file"] as? String, "/order/first.bin", "\(mode)")

            // Answered after the first upload's answer, so it counts that sample.
            let status = try connection.readResponse()
            XCTAssertEqual(status.status, 200, "\(mode) " + status.text)
            let counters = try XCTUnwrap(try status.json() as? [String: Any])
            XCTAssertEqual(counters["scanned_samples"] as? Int, 1, "\(mode)")

            let second = try connection.readResponse()
            XCTAssertEqual(second.status, 200, "\(mode) " + second.text)
            XCTAssertEqual(second.text, "[]", "\(mode)")

            let missing = try connection.readResponse()
            XCTAssertEqual(missing.status, 404, "\(mode) " + missing.text)
        }
    }

    /// Uploads read by UploadFastPath (sent together, or a few bytes at a time) are answered in order.
    func testPipelinedAndTrickledUploadsAreAnsweredInOrder() throws {
        for mode in modes {
            let server = try startServer(mode)
            defer { server.stop() }
            let connection = try RawHTTP.Connection(port: server.port)
            try connection.send(upload("/order/a.bin", Samples.marker, port: server.port) + upload("/order/b.txt", Samples.clean, port: server.port))
            let trickled = upload("/order/c.com", Samples.eicar, port: server.port)
            for start in stride(from: 0, to: trickled.count, by: 7) {
                try connection.send(Array(trickled[start..<min(start + 7, trickled.count)]))
                usleep(1_000)
            }
            let levels = try (0..<3).map { _ -> String in
                let answer = try connection.readResponse()
                XCTAssertEqual(answer.status, 200, "\(mode) " + answer.text)
                let findings = try XCTUnwrap(try answer.json() as? [[String: Any]])
                return findings.first.map { "\($0["level"] ?? "")" + " " + "\(($0["context"] as? [String: Any])?["file"] ?? "")" } ?? "clean"
            }
            XCTAssertEqual(levels, ["Warning /order/a.bin", "clean", "Alert /order/c.com"], "\(mode)")
        }
    }

    func testAGracefulStopDeliversTheScanInProgress() throws {
        for mode in modes {
            let server = try startServer(mode)
            defer { server.stop() }
            let connection = try RawHTTP.Connection(port: server.port)
            try connection.send(upload("/order/eicar.com", Samples.eicar, port: server.port))
            // The scan holds its sample 300 ms; the stop comes in the middle of it.
            usleep(100_000)
            XCTAssertEqual(kill(server.pid, SIGTERM), 0)
            let answer = try connection.readResponse()
            XCTAssertEqual(answer.status, 200, "\(mode) " + answer.text)
            let findings = try XCTUnwrap(try answer.json() as? [[String: Any]])
            XCTAssertEqual(findings.first?["level"] as? String, "Alert", "\(mode)")
            XCTAssertEqual((findings.first?["context"] as? [String: Any])?["sha256"] as? String, Samples.eicarSHA256, "\(mode)")
        }
    }
}
