import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// --server-idle-timeout: a connection quiet for the timeout with no answer pending is closed (a
/// stalled upload is dropped with its file), so idle or trickling clients cannot hold the capped
/// connections; a connection in use, or waiting for a long scan, stays open.
final class IdleConnectionTests: XCTestCase {
    func testAQuietKeepAliveConnectionIsClosedAfterTheTimeoutAndABusyOneIsNot() throws {
        let server = try TestServer(arguments: ["--idle-timeout", "1"])
        let busy = try RawHTTP.Connection(port: server.port)
        let quiet = try RawHTTP.Connection(port: server.port)
        try quiet.send("GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n")
        XCTAssertEqual(try quiet.readResponse().status, 200)
        // Six requests 0.4 s apart: 2.4 s of use, never 1 s quiet.
        for _ in 0..<6 {
            try busy.send("GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n")
            XCTAssertEqual(try busy.readResponse().status, 200)
            Thread.sleep(forTimeInterval: 0.4)
        }
        XCTAssertFalse(try quiet.fill(), "the quiet connection was closed: end of stream, no bytes")
        try busy.send("GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n")
        XCTAssertEqual(try busy.readResponse().status, 200)
    }

    func testARequestHeadTrickledByteByByteIsCutOff() throws {
        let server = try TestServer(arguments: ["--idle-timeout", "1"])
        let connection = try RawHTTP.Connection(port: server.port)
        let head = Array("POST /api/check HTTP/1.1\r\nHost: test\r\nX-Padding: ".utf8) + [UInt8](repeating: 0x61, count: 40)
        var sent = 0
        let started = Date()
        // A byte every 0.1 s: the head never ends, and no complete part ever counts as activity.
        while sent < head.count, (try? connection.send([head[sent]])) != nil {
            sent += 1
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertLessThan(sent, head.count, "the connection was closed before the head was complete")
        XCTAssertLessThan(Date().timeIntervalSince(started), 3.5)
    }

    func testAStalledUploadIsDroppedWithItsFile() throws {
        let server = try TestServer(arguments: ["--idle-timeout", "1"])
        let upload = RawHTTP(port: server.port).uploadRequest("/api/checkAsync", fileName: "stalled.bin", [UInt8](repeating: 0x41, count: 100_000), close: false)
        let connection = try RawHTTP.Connection(port: server.port)
        try connection.send(Array(upload.prefix(50_000)))
        Thread.sleep(forTimeInterval: 0.3)
        let incoming = server.uploadDirectory + "/incoming"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: incoming).count, 1, "the upload streams into its file")
        let started = Date()
        XCTAssertFalse(try connection.fill(), "closed without an answer")
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: incoming), [], "the partial upload is gone")
        XCTAssertEqual(try RawHTTP(port: server.port).get("/api/status").status, 200)
    }

    func testAStalledBodyOfAnotherRequestIsCutOff() throws {
        let server = try TestServer(arguments: ["--idle-timeout", "1"])
        for path in ["/api/status", "/api/getAsyncResults?id=1", "/no-such-page"] {
            let connection = try RawHTTP.Connection(port: server.port)
            // A body announced and never sent: the request waits on the client, not on the service.
            try connection.send("POST \(path) HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 100))
            let started = Date()
            while (try? connection.fill()) == true {}
            let waited = Date().timeIntervalSince(started)
            XCTAssertGreaterThan(waited, 0.5, "\(path): closed by the idle timeout, not at once")
            XCTAssertLessThan(waited, 3.5, "\(path): the stalled connection was closed")
        }
        XCTAssertEqual(try RawHTTP(port: server.port).get("/api/status").status, 200)
    }

    func testAScanLongerThanTheTimeoutIsStillAnswered() throws {
        let server = try TestServer(arguments: ["--idle-timeout", "1", "--scan-delay-ms", "2500"])
        let http = RawHTTP(port: server.port)
        let started = Date()
        let answer = try http.exchange(http.uploadRequest("/api/check", fileName: "slow.txt", Array("clean".utf8), close: false))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.text, "[]")
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 2.4)
    }
}
