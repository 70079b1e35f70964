import NIOCore
import XCTest
@testable import Thunderstorm

/// The bytes of an upload answer as the handler writes them: head and body in one buffer.
final class APIAnswerTests: XCTestCase {
    func testAnAnswerIsOneHTTP11Message() {
        let answer = APIAnswer.error(.serviceUnavailable, "busy", headers: [.retryAfter: "3"])
        let bytes = answer.http1(date: "Mon, 07 Dec 2026 05:15:01 GMT", closeAfter: false, allocator: ByteBufferAllocator())
        XCTAssertEqual(String(buffer: bytes), "HTTP/1.1 503 Service Unavailable\r\n"
            + "Retry-After: 3\r\nContent-Type: application/json\r\n"
            + "Content-Length: 18\r\nDate: Mon, 07 Dec 2026 05:15:01 GMT\r\n\r\n{\"message\":\"busy\"}")
    }

    func testClosingAnswerSaysSoOnceAndKeepsItsOwnLengthAndDate() {
        var answer = APIAnswer.json(.array([]), pretty: false)
        // What the answer itself carries for these three is replaced, never repeated.
        answer.headers[.connection] = "keep-alive"
        answer.headers[.contentLength] = "99"
        answer.headers[.date] = "yesterday"
        let bytes = answer.http1(date: "Mon, 07 Dec 2026 05:15:01 GMT", closeAfter: true, allocator: ByteBufferAllocator())
        XCTAssertEqual(String(buffer: bytes), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 2\r\nDate: Mon, 07 Dec 2026 05:15:01 GMT\r\nConnection: close\r\n\r\n[]")
    }
}
