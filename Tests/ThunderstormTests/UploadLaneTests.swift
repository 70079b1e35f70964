import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// UploadLane writes each answer from the thread its scan ends on; what the socket does not take at
/// once waits in the connection until the lane can send it. Requests sent behind an answered one go
/// back to the lane, and only once the lane has put them aside (an answer that came first, from a
/// fast scan, once found none and left them unanswered). Nothing may be lost or reordered.
final class UploadLaneTests: XCTestCase {
    func testAnswersAClientDoesNotReadForAWhileArriveWholeAndInOrder() throws {
        let server = try TestServer(arguments: ["--threads", "2"])
        defer { server.stop() }
        let connection = try RawHTTP.Connection(port: server.port)
        // 2,000 pipelined uploads whose answers (about 3.5 KB each: the long name is in them, 7 MB
        // in all) are more than the socket buffers hold (4 MB at most) while the client does not read.
        let count = 2000
        let folder = "/lane/" + String(repeating: "d", count: 1500)
        var requests: [UInt8] = []
        for i in 0..<count {
            requests += RawHTTP(port: server.port).uploadRequest(
                "/api/check?source=lane", fileName: "\(folder)/\(i).bin", i % 3 == 0 ? Samples.clean : Samples.marker, close: false)
        }
        try connection.send(requests)
        sleep(2)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var heads = 0
        let head = Array("HTTP/1.1 ".utf8)
        while heads < count || received.last != UInt8(ascii: "]") {
            let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            // Heads in what came, including one split across two reads.
            var i = max(0, received.count - head.count + 1)
            received += buffer[0..<n]
            while i + head.count <= received.count {
                if received[i] == head[0] && received[i..<i + head.count].elementsEqual(head) { heads += 1; i += head.count } else { i += 1 }
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        let answers = text.components(separatedBy: "HTTP/1.1 ").dropFirst()
        XCTAssertEqual(answers.count, count)
        XCTAssertTrue(answers.allSatisfy { $0.hasPrefix("200 ") })
        // Clean samples answer [], the others name their file: in request order.
        let order = answers.map { answer -> String in
            guard let range = answer.range(of: "\(folder)/") else { return "clean" }
            return String(answer[range.upperBound...].prefix { $0 != "\"" })
        }
        XCTAssertEqual(order, (0..<count).map { $0 % 3 == 0 ? "clean" : "\($0).bin" })
        let status = try XCTUnwrap(try RawHTTP(port: server.port).get("/api/status").json() as? [String: Any])
        XCTAssertEqual(status["scanned_samples"] as? Int, count)
    }
}
