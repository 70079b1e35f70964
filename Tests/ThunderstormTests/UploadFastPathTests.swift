import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import Thunderstorm
import XCTest

/// UploadFastPath in a channel of its own: the parts it hands to the upload handler, and the bytes
/// it leaves to the HTTP decoder behind it.
final class UploadFastPathTests: XCTestCase {
    private var delivered: [HTTPRequestPart] = []

    private func channel() throws -> EmbeddedChannel {
        delivered = []
        return EmbeddedChannel(handler: UploadFastPath { [unowned self] in delivered.append($0) })
    }

    private func upload(_ body: String, target: String = "/api/check") -> String {
        "POST \(target) HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    private func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// What reached the decoder, as text.
    private func passedOn(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    /// The delivered parts, as heads' targets, bodies and ends.
    private var summary: [String] {
        var out: [String] = []
        for part in delivered {
            switch part {
            case .head(let head): out.append("head \(head.path ?? "") \(head.headerFields[.contentLength] ?? "-") \(head.headerFields[.contentType] ?? "-")")
            case .body(let body):
                if let last = out.last, last.hasPrefix("body ") { out[out.count - 1] = last + String(buffer: body) } else { out.append("body " + String(buffer: body)) }
            case .end: out.append("end")
            }
        }
        return out
    }

    func testPipelinedUploadsAreHandedOnAndTheFirstOtherRequestGoesToTheDecoder() throws {
        let channel = try channel()
        let rest = "GET /api/status HTTP/1.1\r\nHost: h\r\n\r\n" + upload("third")
        try send(channel, upload("first") + upload("second", target: "/api/checkAsync?source=x") + rest)
        XCTAssertEqual(summary, ["head /api/check 5 multipart/form-data; boundary=b", "body first", "end",
                                 "head /api/checkAsync?source=x 6 multipart/form-data; boundary=b", "body second", "end"])
        XCTAssertEqual(try passedOn(channel), rest, "from the GET on, byte for byte")
        try send(channel, upload("fourth"))
        XCTAssertEqual(try passedOn(channel), upload("fourth"), "the connection stays the decoder's")
        XCTAssertEqual(delivered.count, 6)
    }

    func testARequestArrivingByteByByteIsTheSame() throws {
        let channel = try channel()
        for byte in (upload("split body") + upload("")).utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        XCTAssertEqual(summary, ["head /api/check 10 multipart/form-data; boundary=b", "body split body", "end",
                                 "head /api/check 0 multipart/form-data; boundary=b", "end"])
        XCTAssertEqual(try passedOn(channel), "")
    }

    func testAnyOtherShapeGoesToTheDecoderWhole() throws {
        for request in ["POST /api/check HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "POST /api/check HTTP/1.1\r\nX-Pad: " + String(repeating: "a", count: 9000) + "\r\nContent-Length: 0\r\n\r\n"] {
            let channel = try channel()
            try send(channel, request)
            XCTAssertEqual(try passedOn(channel), request)
            XCTAssertTrue(delivered.isEmpty)
        }
    }

    func testAHeadThatNeverEndsIsPassedOnOnceLongerThanAnySimpleHead() throws {
        let channel = try channel()
        let start = "POST /api/check HTTP/1.1\r\nX-Pad: "
        try send(channel, start)
        XCTAssertEqual(try passedOn(channel), "", "kept while it may still be simple")
        let pad = String(repeating: "a", count: 9000)
        try send(channel, pad)
        XCTAssertEqual(try passedOn(channel), start + pad, "nothing held back beyond 8 KiB")
    }
}
