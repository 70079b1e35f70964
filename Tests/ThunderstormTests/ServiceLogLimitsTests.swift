import Foundation
import TestSupport
import XCTest

/// The scan's log limits (--max_log_lines, --max-log-size) do not apply to the service: it logs for
/// its lifetime, and a limit would silence it or stop it.
final class ServiceLogLimitsTests: XCTestCase {
    func testTheServiceLogsBeyondTheScanLimits() throws {
        let signatures = BuildProducts.packageRoot + "/Signatures"
        let service = try ThorService(["--modules", "yara,ioc", "--yara-dir", signatures + "/yara", "--ioc-dir", signatures + "/iocs",
                                       "--max_log_lines", "2", "--max-log-size", "1"])
        defer { service.stop() }
        let http = RawHTTP(port: service.port)
        for n in 1...3 {
            let response = try http.post("/api/check", contentType: "multipart/form-data; boundary=b",
                                         body: RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart("eicar\(n).com", Samples.eicar)]))
            XCTAssertEqual(response.status, 200, response.text)
        }
        service.stop()
        for suffix in [".txt", ".json"] {
            let lines = try service.logLines(suffix)
            XCTAssertGreaterThan(lines.count, 2)
            XCTAssertEqual(lines.filter { $0.contains("eicar") && $0.contains("Filescan") }.count, 3, lines.joined(separator: "\n"))
            XCTAssertFalse(lines.contains { $0.contains("LogControl") }, lines.joined(separator: "\n"))
        }
    }
}
