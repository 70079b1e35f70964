import NIOCore
import XCTest
@testable import Thunderstorm

final class MultipartParserTests: XCTestCase {
    /// Runs the parser over `body` cut into `chunkSize` pieces; returns (name, fileName, content) per part.
    private func parse(_ body: [UInt8], boundary: String, chunkSize: Int) throws -> [(String?, String?, [UInt8])] {
        guard var parser = MultipartStreamParser(boundary: Array(boundary.utf8)) else { throw NSError(domain: "boundary", code: 0) }
        var parts: [(String?, String?, [UInt8])] = []
        var offset = 0
        while offset < body.count {
            let chunk = ByteBuffer(bytes: body[offset..<min(body.count, offset + chunkSize)])
            offset += chunkSize
            try parser.feed(chunk) { event in
                switch event {
                case .partStart(let h): parts.append((h.name, h.fileName, []))
                case .body(let slice): parts[parts.count - 1].2 += slice.readableBytesView
                case .partEnd, .end: break
                }
            }
        }
        try parser.finish()
        return parts
    }

    func testEveryChunkingGivesTheSameParts() throws {
        // Content that contains near-delimiters: CRLF, "--", and a prefix of the boundary.
        let content = Array("line1\r\n--bound\r\n--boundarX\r\nend".utf8) + [0, 255, 13, 10]
        let body = Array("preamble\r\n".utf8) + RawHTTP.multipart(boundary: "boundary", parts: [
            RawHTTP.filePart("/tmp/a.txt", content),
            ("Content-Disposition: form-data; name=\"note\"", Array("hi".utf8)),
        ])
        for chunkSize in [1, 2, 3, 7, 13, 64, body.count] {
            let parts = try parse(body, boundary: "boundary", chunkSize: chunkSize)
            XCTAssertEqual(parts.count, 2, "chunk size \(chunkSize)")
            XCTAssertEqual(parts[0].0, "file")
            XCTAssertEqual(parts[0].1, "/tmp/a.txt")
            XCTAssertEqual(parts[0].2, content, "chunk size \(chunkSize)")
            XCTAssertEqual(parts[1].0, "note")
            XCTAssertNil(parts[1].1)
            XCTAssertEqual(parts[1].2, Array("hi".utf8))
        }
    }

    func testEmptyFileAndTransportPadding() throws {
        let body = Array("--b  \r\nContent-Disposition: form-data; name=file; filename=empty.bin\r\n\r\n\r\n--b--".utf8)
        let parts = try parse(body, boundary: "b", chunkSize: 5)
        XCTAssertEqual(parts.count, 1)
        XCTAssertEqual(parts[0].1, "empty.bin")
        XCTAssertEqual(parts[0].2, [])
    }

    func testTruncatedBodyIsAnError() {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nabc".utf8)
        XCTAssertThrowsError(try parse(body, boundary: "b", chunkSize: 4)) { error in
            XCTAssertEqual(error as? MultipartStreamParser.ParseError, .truncated)
        }
    }

    func testHeaderBlockIsBounded() {
        let body = Array("--b\r\nX-Long: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 20000)
        XCTAssertThrowsError(try parse(body, boundary: "b", chunkSize: 1000)) { error in
            XCTAssertEqual(error as? MultipartStreamParser.ParseError, .headersTooLarge)
        }
    }

    func testPartCountIsBounded() {
        let parts = (0..<70).map { _ in ("Content-Disposition: form-data; name=\"x\"", [UInt8]()) }
        XCTAssertThrowsError(try parse(RawHTTP.multipart(boundary: "b", parts: parts), boundary: "b", chunkSize: 4096)) { error in
            XCTAssertEqual(error as? MultipartStreamParser.ParseError, .tooManyParts)
        }
    }

    func testUnusableBoundariesAreRejected() {
        XCTAssertNil(MultipartStreamParser(boundary: []))
        XCTAssertNil(MultipartStreamParser(boundary: Array(repeating: UInt8(ascii: "a"), count: 201)))
    }

    func testContentTypeBoundaryQuotedAndUnquoted() {
        XCTAssertEqual(HeaderParameters(Array("multipart/form-data; boundary=\"b1\"".utf8)).string("boundary"), "b1")
        XCTAssertEqual(HeaderParameters(Array("Multipart/Form-Data;boundary=xYzZY".utf8)).value, "multipart/form-data")
        XCTAssertEqual(HeaderParameters(Array("multipart/form-data; BOUNDARY=xYzZY".utf8)).string("boundary"), "xYzZY")
    }

    func testFileNameUnescapingLikeGo() {
        func name(_ header: String) -> String? { HeaderParameters(Array(header.utf8)).fileName }
        // Go collector: backslashes escaped.
        XCTAssertEqual(name(#"form-data; name="file"; filename="C:\\Users\\a\\evil.exe""#), #"C:\Users\a\evil.exe"#)
        // PowerShell collector: raw backslashes stay literal (not before a tspecial).
        XCTAssertEqual(name(#"form-data; name="file"; filename="C:\Users\a\evil.exe""#), #"C:\Users\a\evil.exe"#)
        XCTAssertEqual(name(#"form-data; name="file"; filename="say \"hi\".txt""#), #"say "hi".txt"#)
        // urllib3 2.x percent-encodes quotes; that stays as sent.
        XCTAssertEqual(name(#"form-data; name="file"; filename="a%22b.txt""#), "a%22b.txt")
        // Raw UTF-8 bytes.
        XCTAssertEqual(name("form-data; name=\"file\"; filename=\"/tmp/Übersicht €.txt\""), "/tmp/Übersicht €.txt")
        // RFC 5987 form wins when present.
        XCTAssertEqual(name("form-data; name=\"file\"; filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC.txt"), "€.txt")
        // Unterminated quote keeps what was sent.
        XCTAssertEqual(name("form-data; name=\"file\"; filename=\"open.txt"), "open.txt")
    }

    func testQueryDecoding() {
        let query = QueryParameters("Source=a+b%26c&pretty&id=12&bad=%zz%4")
        XCTAssertEqual(query["source"], "a b&c")
        XCTAssertEqual(query["id"], "12")
        XCTAssertEqual(query["bad"], "%zz%4")
        XCTAssertTrue(query.pretty)
        XCTAssertFalse(QueryParameters("pretty=false").pretty)
        XCTAssertNil(QueryParameters("")["source"])
    }

    func testPartHeaderNamesMatchCaseInsensitivelyOnly() {
        func headers(_ line: String) -> MultipartStreamParser.PartHeaders {
            MultipartStreamParser.parseHeaders(Array("\(line)\r\nContent-Type: text/plain".utf8))
        }
        XCTAssertEqual(headers("CONTENT-disposition: form-data; name=file; filename=a").fileName, "a")
        XCTAssertEqual(headers(" Content-Disposition\t: form-data; name=\"file\"").name, "file")
        // A byte that only matches when its bit 0x20 is ignored (CR against '-') is another name.
        XCTAssertNil(headers("Content\rDisposition: form-data; name=file").name)
        XCTAssertNil(headers("Content-Dispositions: form-data; name=file").name)
    }

    func testTargetSplitsIntoPathAndQuery() {
        let (path, query) = QueryParameters.split(target: "/api/v1/check?source=a%20b&pretty")
        XCTAssertEqual(path, "/api/v1/check")
        XCTAssertEqual(query["source"], "a b")
        XCTAssertTrue(query.pretty)
        XCTAssertEqual(QueryParameters.split(target: "/api/check").path, "/api/check")
        XCTAssertNil(QueryParameters.split(target: "/api/check?").query["source"])
        XCTAssertEqual(QueryParameters.split(target: nil).path, "/")
    }

    func testFirstBytesAndExtension() {
        XCTAssertEqual(FindingRenderer.firstBytes(Array("MZ\u{90}\0ab\ncd".utf8)), "4d5ac2900061620a6364 / MZab\ncd")
        XCTAssertEqual(FindingRenderer.fileExtension(of: #"C:\Users\a\evil.exe"#), ".exe")
        XCTAssertEqual(FindingRenderer.fileExtension(of: "/tmp/dir.d/noext"), "")
        XCTAssertEqual(FindingRenderer.fileExtension(of: "/tmp/.hidden"), "")
    }
}
