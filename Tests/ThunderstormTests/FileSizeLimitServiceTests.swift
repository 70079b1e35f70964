import Foundation
import TestSupport
import XCTest

/// Under a file size limit (ulimit -f) the service warns at start, refuses an upload that would
/// pass the limit with a message, and lives on (a write beyond the limit raised SIGXFSZ, which
/// ended the service and every sample it held).
final class FileSizeLimitServiceTests: XCTestCase {
    func testAnUploadBeyondTheLimitIsRefusedAndTheServiceLivesOn() throws {
        let signatures = BuildProducts.packageRoot + "/Signatures"
        let service = try ThorService(["--modules", "yara,ioc", "--yara-dir", signatures + "/yara", "--ioc-dir", signatures + "/iocs"],
                                      fileSizeLimit: 102_400)
        defer { service.stop() }
        XCTAssertTrue(service.startupConsole.contains("Warning: MODULE: Init SCANID: ")
            && service.startupConsole.contains(" MESSAGE: File size limit (ulimit -f): log lines and uploaded samples beyond it are lost LIMIT: 102400 bytes"),
                      service.startupConsole)
        let http = RawHTTP(port: service.port)
        let large = [UInt8](repeating: 0x41, count: 300_000)
        for endpoint in ["/api/checkAsync", "/api/check"] {
            let refused = try http.post(endpoint, contentType: "multipart/form-data; boundary=b",
                                        body: RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("large.bin", large)]))
            XCTAssertEqual(refused.status, 500, endpoint)
            XCTAssertTrue(refused.text.hasPrefix(#"{"message":"the upload failed: write "#) && refused.text.hasSuffix(#": File too large"}"#),
                          refused.text)
        }
        XCTAssertEqual(try http.get("/api/status").status, 200)
        let scanned = try http.post("/api/check", contentType: "multipart/form-data; boundary=b",
                                    body: RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("eicar.com", Samples.eicar)]))
        XCTAssertEqual(scanned.status, 200)
        XCTAssertTrue(scanned.text.contains(#""file":"eicar.com""#), scanned.text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: service.uploadDirectory + "/incoming"), [], "no partial upload left")
    }
}
