import TestSupport
@testable import Thunderstorm
import XCTest

/// The upload heads UploadFastPath reads itself, and every head it leaves to the full HTTP parser.
final class SimpleUploadHeadTests: XCTestCase {
    private func parse(_ text: String) -> SimpleUploadHead? {
        Array(text.utf8).withUnsafeBufferPointer { SimpleUploadHead.parse($0) }
    }

    private let typical = "POST /api/check?source=host1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: python-requests/2.31\r\n"
        + "Content-Length: 123\r\nContent-Type: multipart/form-data; boundary=b"

    func testTheCollectorsShapeIsRead() {
        XCTAssertEqual(parse(typical), SimpleUploadHead(target: "/api/check?source=host1", contentLength: 123,
                                                        contentType: "multipart/form-data; boundary=b", connection: nil))
        XCTAssertEqual(parse("POST /api/v1/checkAsync HTTP/1.1\r\ncontent-LENGTH: \t 0 \r\nCONNECTION: Close"),
                       SimpleUploadHead(target: "/api/v1/checkAsync", contentLength: 0, contentType: nil, connection: "Close"))
        XCTAssertEqual(parse("POST /api/checkAsync HTTP/1.1\r\nContent-Length: 999999999999999999\r\nConnection: keep-alive")?.contentLength,
                       999_999_999_999_999_999)
    }

    func testEverythingElseIsLeftToTheFullParser() {
        let rejected: [(String, String)] = [
            ("GET /api/check HTTP/1.1\r\nContent-Length: 1", "another method"),
            ("POST /api/status HTTP/1.1\r\nContent-Length: 1", "not an upload endpoint"),
            ("POST /api/check HTTP/1.0\r\nContent-Length: 1", "HTTP/1.0"),
            ("POST http://h:8080/api/check HTTP/1.1\r\nContent-Length: 1", "absolute form"),
            ("POST /api/check  HTTP/1.1\r\nContent-Length: 1", "two spaces"),
            ("POST /api/check HTTP/1.1 \r\nContent-Length: 1", "trailing space"),
            ("POST /api/check HTTP/1.1\r\nTransfer-Encoding: chunked", "chunked"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked", "length and chunked"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue", "Expect"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nUpgrade: h2c", "Upgrade"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nContent-Encoding: gzip", "encoded body"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5", "two lengths"),
            ("POST /api/check HTTP/1.1\r\nContent-Type: a\r\nContent-Type: b\r\nContent-Length: 5", "two types"),
            ("POST /api/check HTTP/1.1\r\nHost: h", "no length"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: -1", "negative length"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 1e3", "not decimal"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 1 2", "two numbers"),
            ("POST /api/check HTTP/1.1\r\nContent-Length:", "empty length"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 1000000000000000000", "19 digits"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\n folded", "obsolete line folding"),
            ("POST /api/check HTTP/1.1\r\nContent-Length : 5", "space before the colon"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nX-A: a\u{1}b", "control character"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\nX-A: b", "bare LF"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\rX-A: b", "lone CR"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nConnection: upgrade", "another connection option"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\n", "an empty header line"),
            ("POST /api/check HTTP/1.1\r\nContent-Length: 5\r\nX-Pad: " + String(repeating: "a", count: 8 * 1024), "longer than 8 KiB"),
        ]
        for (head, why) in rejected { XCTAssertNil(parse(head), why) }
    }

    /// Broken heads (bytes flipped, inserted, dropped, cut) never crash the parser, and what it
    /// accepts is an upload endpoint's target of visible characters with a decimal length.
    func testMutatedHeadsAreReadSafely() {
        var generator = SeededGenerator(state: 13)
        let original = Array((typical + "\r\nConnection: keep-alive").utf8)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<max(1, bytes.count), using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !bytes.isEmpty: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: min(at, bytes.count))
                case 2 where !bytes.isEmpty: bytes.remove(at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            guard let head = bytes.withUnsafeBufferPointer({ SimpleUploadHead.parse($0) }) else { continue }
            accepted += 1
            XCTAssertTrue(head.target.hasPrefix("/") && head.target.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, head.target)
            XCTAssertTrue(APIRoute.uploadEndpoints.contains(APIRoute.endpoint(forPath: QueryParameters.pathAndQuery(of: head.target).path)!))
            XCTAssertGreaterThanOrEqual(head.contentLength, 0)
        }
        XCTAssertGreaterThan(accepted, 0, "some mutations (in the user agent, say) still read")
    }
}
