import Foundation
import XCTest

/// Raw HTTP over loopback against the spawned fixture server: every encoding quirk of reference
/// section 1.1 and every error case.
final class HTTPQuirksTests: XCTestCase {
    static var server: TestServer!

    override class func setUp() {
        super.setUp()
        server = try? TestServer(arguments: ["--threads", "2", "--max-upload", "1000000"])
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    var http: RawHTTP {
        get throws {
            guard let server = Self.server else { throw XCTSkip("test server did not start") }
            return RawHTTP(port: server.port)
        }
    }

    private func findings(_ response: RawHTTP.Response, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return try XCTUnwrap(try response.json() as? [[String: Any]], response.text, file: file, line: line)
    }

    func testDetectedSampleHasTheV1FindingShape() throws {
        let body = RawHTTP.multipart(boundary: "698f1d30cb9d01c8eb801a08da8e2cf4", parts: [RawHTTP.filePart("/tmp/x/eicar.com", Samples.eicar)])
        let result = try findings(try http.post("/api/check?source=vm", contentType: "multipart/form-data; boundary=698f1d30cb9d01c8eb801a08da8e2cf4", body: body))
        XCTAssertEqual(result.count, 1)
        let finding = result[0]
        XCTAssertEqual(finding["level"] as? String, "Alert")
        XCTAssertEqual(finding["module"] as? String, "Filescan")
        XCTAssertEqual(finding["message"] as? String, "Malware file found")
        XCTAssertEqual(finding["score"] as? Int, 100)
        let context = try XCTUnwrap(finding["context"] as? [String: Any])
        XCTAssertEqual(context["file"] as? String, "/tmp/x/eicar.com")
        XCTAssertEqual(context["ext"] as? String, ".com")
        XCTAssertEqual(context["size"] as? Int, 68)
        XCTAssertEqual(context["md5"] as? String, Samples.eicarMD5)
        XCTAssertEqual(context["sha1"] as? String, Samples.eicarSHA1)
        XCTAssertEqual(context["sha256"] as? String, Samples.eicarSHA256)
        XCTAssertEqual(context["firstBytes"] as? String, Samples.eicarFirstBytes)
        XCTAssertEqual(context["type"] as? String, "UNKNOWN")
        XCTAssertEqual(context["reasons_count"] as? Int, 1)
        let matches = try XCTUnwrap(finding["matches"] as? [[String: Any]])
        XCTAssertEqual(matches.count, 1)
        XCTAssertEqual(matches[0]["rulename"] as? String, "EICAR_Test_File")
        XCTAssertEqual(matches[0]["subscore"] as? Int, 100)
        XCTAssertEqual(matches[0]["matched"] as? [String], [String(decoding: Samples.eicar, as: UTF8.self)])
        XCTAssertEqual(matches[0]["reason"] as? String, "EICAR anti-virus test file")
        XCTAssertEqual(matches[0]["ruledate"] as? String, "2026-11-29")
        XCTAssertEqual(matches[0]["tags"] as? [String], ["TEST", "EICAR"])
        XCTAssertEqual(matches[0]["sigclass"] as? String, "YARA Rule")
        // Exactly the reference's keys (section 1.3): the v1 example plus the client struct's optional ones.
        XCTAssertEqual(Set(finding.keys), ["level", "module", "message", "score", "context", "matches"])
        XCTAssertEqual(Set(context.keys), ["ext", "file", "firstBytes", "md5", "sha1", "sha256", "size", "type", "reasons_count"])
        XCTAssertEqual(Set(matches[0].keys), ["matched", "reason", "ref", "ruledate", "rulename", "subscore", "tags",
                                              "author", "sigclass", "sigtype"])
    }

    func testCleanSampleIsAnEmptyArray() throws {
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/tmp/clean.txt", Samples.clean)])
        let response = try http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: body)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "[]")
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        // As every other answer: an IMF-fixdate Date header.
        let date = try XCTUnwrap(response.header("Date"))
        XCTAssertNotNil(date.range(of: #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$"#, options: .regularExpression), date)
    }

    func testChunkedBodyWithoutContentLength() throws {
        let boundary = String(repeating: "ab", count: 30)
        let body = RawHTTP.multipart(boundary: boundary, parts: [RawHTTP.filePart("/abs/path/m.bin", Samples.marker)])
        var request = Array("POST /api/check? HTTP/1.1\r\nHost: x\r\nUser-Agent: Go-http-client/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".utf8)
        // Go writes many small chunks.
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(body.count, offset + 17)]
            request += Array(String(piece.count, radix: 16).utf8) + Array("\r\n".utf8) + piece + Array("\r\n".utf8)
            offset += 17
        }
        request += Array("0\r\n\r\n".utf8)
        let result = try findings(try http.exchange(request))
        XCTAssertEqual(result.first?["level"] as? String, "Warning")
        XCTAssertEqual(result.first?["score"] as? Int, 70)
        XCTAssertEqual((result.first?["context"] as? [String: Any])?["file"] as? String, "/abs/path/m.bin")
    }

    func testExpect100ContinueIsAnsweredBeforeTheBody() throws {
        let body = RawHTTP.multipart(boundary: "------------------------0123456789abcdef", parts: [
            ("Content-Disposition: form-data; name=\"file\"; filename=\"/data/big.txt\"\r\nContent-Type: text/plain", Samples.eicar)])
        let connection = try RawHTTP.Connection(port: try http.port)
        try connection.send("POST /api/checkAsync?source=curl HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/7.88.1\r\nContent-Length: \(body.count)\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=------------------------0123456789abcdef\r\nConnection: close\r\n\r\n")
        // The interim response must come without the body having been sent.
        let (interim, _) = try connection.readHead()
        XCTAssertEqual(interim, 100)
        try connection.send(body)
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200, response.text)
        let receipt = try XCTUnwrap(try response.json() as? [String: Any])
        XCTAssertNotNil(receipt["id"] as? Int)
        XCTAssertEqual(receipt.count, 1)
    }

    func testAbsoluteFormTargetAndUUIDBoundary() throws {
        let boundary = "0f8e0f5c-2d6a-4a53-8d3a-1f2b3c4d5e6f"
        let body = RawHTTP.multipart(boundary: boundary, parts: [RawHTTP.filePart("/home/u/e.com", Samples.eicar)])
        let port = try http.port
        let request = Array("POST http://127.0.0.1:\(port)/api/check?source=py-src HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept-Encoding: identity\r\nContent-Length: \(body.count)\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nConnection: close\r\n\r\n".utf8) + body
        let result = try findings(try http.exchange(request))
        XCTAssertEqual(result.first?["level"] as? String, "Alert")
    }

    func testQuotedBoundaryCapitalSourceAndWindowsPaths() throws {
        // PowerShell master: quoted boundary, raw backslashes; Go: escaped backslashes.
        for (sent, expected) in [(#"C:\Users\a\evil.exe"#, #"C:\Users\a\evil.exe"#), (#"C:\\Users\\a\\evil.exe"#, #"C:\Users\a\evil.exe"#)] {
            let body = RawHTTP.multipart(boundary: "b1", parts: [RawHTTP.filePart(sent, Samples.eicar)])
            let result = try findings(try http.post("/api/check?Source=ps", contentType: "multipart/form-data; boundary=\"b1\"", body: body))
            let context = try XCTUnwrap(result.first?["context"] as? [String: Any])
            XCTAssertEqual(context["file"] as? String, expected)
            XCTAssertEqual(context["ext"] as? String, ".exe")
        }
    }

    func testRawUTF8FileNameIsKeptAsSent() throws {
        let name = "/tmp/Übersicht – 資料.txt"
        let body = RawHTTP.multipart(boundary: "xYzZY", parts: [RawHTTP.filePart(name, Samples.eicar)])
        let result = try findings(try http.post("/api/check", contentType: "multipart/form-data; boundary=xYzZY", body: body,
                                                extraHeaders: ["TE: deflate,gzip;q=0.3", "User-Agent: libwww-perl/6.68"]))
        XCTAssertEqual((result.first?["context"] as? [String: Any])?["file"] as? String, name)
    }

    func testFileNameIOCUsesTheSubmittedName() throws {
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart(#"C:\Tools\MimiKatz.exe"#, Samples.clean)])
        let result = try findings(try http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: body))
        XCTAssertEqual(result.first?["level"] as? String, "Notice")
        XCTAssertEqual(result.first?["score"] as? Int, 50)
        let matches = try XCTUnwrap(result.first?["matches"] as? [[String: Any]])
        XCTAssertEqual(matches.first?["sigclass"] as? String, "Filename IOC")
    }

    func testErrorCases() throws {
        let http = try http
        func assertError(_ response: RawHTTP.Response, _ status: Int, contains text: String, line: UInt = #line) throws {
            XCTAssertEqual(response.status, status, response.text, line: line)
            let body = try XCTUnwrap(try response.json() as? [String: Any], line: line)
            let message = try XCTUnwrap(body["message"] as? String, line: line)
            XCTAssertTrue(message.contains(text), message, line: line)
            // The bash collector retries on any body containing "reason".
            XCTAssertFalse(response.text.contains("reason"), line: line)
        }
        try assertError(try http.post("/api/check", contentType: nil, body: []), 400, contains: "Content-Type")
        let other = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("x.txt", Samples.clean, name: "upload")])
        try assertError(try http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: other), 400, contains: "'upload'")
        let two = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("x.txt", Samples.clean), RawHTTP.filePart("y.txt", Samples.clean)])
        try assertError(try http.post("/api/checkAsync", contentType: "multipart/form-data; boundary=b", body: two), 400, contains: "more than one")
        try assertError(try http.post("/api/check", contentType: "text/plain", body: Samples.clean), 400, contains: "not multipart")
        let truncated = Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t\"\r\n\r\nabc".utf8)
        try assertError(try http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: truncated), 400, contains: "malformed")
        try assertError(try http.get("/api/getAsyncResults"), 400, contains: "no ID")
        try assertError(try http.get("/api/getAsyncResults?id=abc"), 400, contains: "no integer")
        try assertError(try http.get("/api/getAsyncResults?id=999999999"), 400, contains: "not present")
        try assertError(try http.get("/api/sampleHistory?aggregate=abc"), 400, contains: "aggregate")
        try assertError(try http.get("/api/check"), 405, contains: "POST")
    }

    func testOversizeUploadsGet413() throws {
        let http = try http
        // Declared too large: refused before the body is read.
        let connection = try RawHTTP.Connection(port: http.port)
        try connection.send("POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n")
        let early = try connection.readResponse()
        XCTAssertEqual(early.status, 413)
        XCTAssertEqual(early.interim, [], "no 100 Continue for a body that will be refused")
        XCTAssertTrue(early.text.contains("exceeds the limit"), early.text)
        // The unread body is not drained: the answer says the connection ends, and it does.
        XCTAssertEqual(early.header("Connection"), "close")
        XCTAssertFalse(try connection.fill(), "the connection is closed after the 413")
        // Chunked, so the size shows only while streaming.
        let big = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("big.bin", Array(repeating: 0x41, count: 1_200_000))])
        var request = Array("POST /api/checkAsync HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n".utf8)
        request += Array(String(big.count, radix: 16).utf8) + Array("\r\n".utf8) + big + Array("\r\n0\r\n\r\n".utf8)
        let streamed = try RawHTTP.Connection(port: http.port)
        try? streamed.send(request)
        let late = try streamed.readResponse()
        XCTAssertEqual(late.status, 413)
        XCTAssertTrue(late.text.contains("upload limit of 1000000 bytes"), late.text)
        XCTAssertEqual(late.header("Connection"), "close")
    }

    func testStatusInfoPrettyAndAliases() throws {
        let http = try http
        let status = try XCTUnwrap(try http.get("/api/status").json() as? [String: Any])
        for key in ["uptime_seconds", "scanned_samples", "queued_async_requests", "avg_scan_time_milliseconds",
                    "avg_total_time_milliseconds", "avg_wait_time_milliseconds", "quota_waits",
                    "quota_wait_time_milliseconds", "denied_requests", "denied_request_proportion"] {
            XCTAssertNotNil(status[key], key)
        }
        XCTAssertNil(status["status"], "a status key makes thunderstorm-cli submit nothing")
        XCTAssertGreaterThanOrEqual(status["uptime_seconds"] as? Int ?? 0, 1)
        let pretty = try http.get("/api/status?pretty=true")
        XCTAssertTrue(pretty.text.hasPrefix("{\n  \""), pretty.text)
        XCTAssertEqual(Set((try pretty.json() as? [String: Any])?.keys ?? [:].keys), Set(status.keys))
        let info = try XCTUnwrap(try http.get("/api/v1/info").json() as? [String: Any])
        XCTAssertEqual(info["thor_version"] as? String, "0.0.0-testserver")
        XCTAssertEqual(info["threads"] as? Int, 2)
        XCTAssertEqual(info["license_expiration_date"] as? String, "2099/12/31")
        XCTAssertNotNil(info["signature_version"] as? String)
        XCTAssertNotNil(info["sigma_version"] as? String)
        let v1 = try http.get("/api/v1/status")
        XCTAssertEqual(v1.status, 200)
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("a.txt", Samples.clean)])
        let receipt = try XCTUnwrap(try http.post("/api/v1/checkAsync", contentType: "multipart/form-data; boundary=b", body: body).json() as? [String: Any])
        XCTAssertNotNil(receipt["id"] as? Int)
        XCTAssertEqual(try http.get("/api/collection").status, 404)
    }

    func testHistoriesCountScannedSamples() throws {
        let http = try http
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("h.txt", Samples.clean)])
        for _ in 0..<3 { XCTAssertEqual(try http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: body).status, 200) }
        let history = try XCTUnwrap(try http.get("/api/sampleHistory?aggregate=60&limit=10").json() as? [String: Int])
        XCTAssertGreaterThanOrEqual(history.values.reduce(0, +), 3)
        for key in history.keys {
            XCTAssertNotNil(key.range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"#, options: .regularExpression), key)
        }
        XCTAssertEqual(try http.get("/api/deniedHistory").status, 200)
        XCTAssertEqual(try http.get("/api/queueHistory?aggregate=5").status, 200)
    }

    func testLandingPageAndOpenAPIDocumentMatchTheServer() throws {
        let http = try http
        let page = try http.get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertTrue(page.text.contains("Scanned Samples"), page.text)
        XCTAssertTrue(page.text.contains("href=\"/static/api.json\""))
        let document = try XCTUnwrap(try http.get("/static/api.json").json() as? [String: Any])
        XCTAssertEqual((document["info"] as? [String: Any])?["title"] as? String, "THOR Thunderstorm API")
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        XCTAssertEqual(Set(paths.keys), ["/api/check", "/api/checkAsync", "/api/getAsyncResults", "/api/status", "/api/info",
                                         "/api/queueHistory", "/api/sampleHistory", "/api/deniedHistory"])
        // Every documented operation is served with its method (not 404/405), and the other method is refused.
        for (path, operations) in paths {
            for method in operations.keys {
                let verb = method.uppercased()
                let response = try http.exchange(Array("\(verb) \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                XCTAssertFalse([404, 405].contains(response.status), "\(verb) \(path): \(response.status)")
                let documented = try XCTUnwrap((operations[method] as? [String: Any])?["responses"] as? [String: Any])
                XCTAssertNotNil(documented[String(response.status)], "\(verb) \(path) answered \(response.status), not documented")
                let wrong = verb == "GET" ? "POST" : "GET"
                let refused = try http.exchange(Array("\(wrong) \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                XCTAssertEqual(refused.status, 405, "\(wrong) \(path)")
            }
        }
    }
}
