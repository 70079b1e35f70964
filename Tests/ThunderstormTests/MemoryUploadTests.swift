import Foundation
import XCTest

/// Where the service keeps a sample while /api/check scans it: a memory file by default on Linux
/// (nothing in the upload directory), the upload directory beyond --memory-upload-limit.
final class MemoryUploadTests: XCTestCase {
    /// Files in `<upload dir>/incoming` while a slow scan of `content` is under way, and the answer.
    private func incomingDuringScan(_ arguments: [String], _ content: [UInt8]) throws -> (files: [String], findings: [[String: Any]]) {
        let server = try TestServer(arguments: ["--scan-delay-ms", "800"] + arguments)
        defer { server.stop() }
        let http = RawHTTP(port: server.port)
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/m/sample.com", content)])
        let answer = ResponseBox()
        let done = DispatchGroup()
        done.enter()
        Thread {
            answer.response = try? http.post("/api/check", contentType: "multipart/form-data; boundary=b", body: body)
            done.leave()
        }.start()
        Thread.sleep(forTimeInterval: 0.4)
        let files = try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/incoming")
        done.wait()
        let response = try XCTUnwrap(answer.response)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/incoming"), [])
        return (files, try XCTUnwrap(try response.json() as? [[String: Any]]))
    }

    func testSmallSyncSampleIsScannedFromMemory() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        let (files, findings) = try incomingDuringScan([], Samples.eicar)
        XCTAssertEqual(files, [])
        XCTAssertEqual((findings.first?["context"] as? [String: Any])?["md5"] as? String, Samples.eicarMD5)
        #endif
    }

    func testSampleBeyondTheMemoryLimitIsScannedFromTheUploadDirectory() throws {
        let padded = Array(repeating: UInt8(ascii: "."), count: 5000) + Samples.eicar
        let (files, findings) = try incomingDuringScan(["--memory-upload-limit", "1000"], padded)
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(files.first?.hasPrefix("upload-") ?? false, "\(files)")
        let context = try XCTUnwrap(findings.first?["context"] as? [String: Any])
        XCTAssertEqual(context["size"] as? Int, 5068)
        XCTAssertEqual(context["firstBytes"] as? String, String(repeating: "2e", count: 20) + " / " + String(repeating: ".", count: 20))
        XCTAssertEqual((findings.first?["matches"] as? [[String: Any]])?.first?["rulename"] as? String, "EICAR_Test_File")
    }

    func testUploadsBeyondTheSharedMemoryBudgetGoToTheUploadDirectory() throws {
        #if !os(Linux)
        throw XCTSkip("memory files are Linux only")
        #else
        // Two samples of 5068 bytes at once under a budget of 8000: one fits in memory, one does not.
        let server = try TestServer(arguments: ["--scan-delay-ms", "800", "--memory-upload-budget", "8000"])
        defer { server.stop() }
        let padded = Array(repeating: UInt8(ascii: "."), count: 5000) + Samples.eicar
        let body = RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("/m/sample.com", padded)])
        let answers = [ResponseBox(), ResponseBox()]
        let done = DispatchGroup()
        for answer in answers {
            done.enter()
            Thread {
                answer.response = try? RawHTTP(port: server.port).post("/api/check", contentType: "multipart/form-data; boundary=b", body: body)
                done.leave()
            }.start()
        }
        Thread.sleep(forTimeInterval: 0.4)
        let files = try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/incoming")
        done.wait()
        XCTAssertEqual(files.count, 1, "\(files)")
        for answer in answers {
            let response = try XCTUnwrap(answer.response)
            XCTAssertEqual(response.status, 200, response.text)
            let findings = try XCTUnwrap(try response.json() as? [[String: Any]])
            XCTAssertEqual((findings.first?["context"] as? [String: Any])?["size"] as? Int, 5068)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.uploadDirectory + "/incoming"), [])
        // The budget is free again: the next sample stays in memory.
        let (after, _) = try incomingDuringScan(["--memory-upload-budget", "8000"], padded)
        XCTAssertEqual(after, [])
        #endif
    }

    func testLimitZeroPutsEverySampleInTheUploadDirectory() throws {
        let (files, _) = try incomingDuringScan(["--memory-upload-limit", "0"], Samples.clean)
        XCTAssertEqual(files.count, 1)
    }
}

/// One response handed from a client thread to the test.
final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: RawHTTP.Response?
    var response: RawHTTP.Response? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
