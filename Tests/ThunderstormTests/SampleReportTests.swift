import Foundation
import TestSupport
import XCTest

/// Which report /api/check answers with when a sample and the objects inside it both score: the
/// sample's own (depth 0), else its most severe child.
final class SampleReportTests: XCTestCase {
    private func checkEVTX(_ service: ThorService, name: String, content: [UInt8]) throws -> [String: Any] {
        let boundary = "b0undary"
        let response = try RawHTTP(port: service.port).post("/api/check?source=WKS-1", contentType: "multipart/form-data; boundary=\(boundary)",
                                                            body: RawHTTP.multipart(boundary: boundary, parts: [RawHTTP.filePart(name, content)]))
        XCTAssertEqual(response.status, 200, response.text)
        let findings = try XCTUnwrap(try response.json() as? [[String: Any]], response.text)
        XCTAssertEqual(findings.count, 1, response.text)
        return try XCTUnwrap(findings.first)
    }

    /// Size, MD5 and magic type from the answer's context.
    private func facts(_ finding: [String: Any]) -> [AnyHashable] {
        let context = finding["context"] as? [String: Any] ?? [:]
        return [context["size"] as? Int ?? -1, context["md5"] as? String ?? "", context["type"] as? String ?? ""]
    }

    private func reasons(_ finding: [String: Any]) -> [String] {
        (finding["matches"] as? [[String: Any]] ?? []).compactMap { ($0["sigclass"] as? String ?? "?") + ": " + ($0["reason"] as? String ?? "?") }
    }

    func testTheSampleOwnReportWinsOverItsEvents() throws {
        _ = try BuildProducts.thor(with: ["libthor-evtx.so", "libthor-sigma.so", "libthor-ioc.so"])
        let log = BuildProducts.corpus + "/evtx/system.evtx"
        guard FileManager.default.fileExists(atPath: log) else { throw XCTSkip("corpus not found at \(log)") }
        let content = Array(try Data(contentsOf: URL(fileURLWithPath: log)))

        // A file-name IOC that only the uploaded name matches; the log's two "Event Log Cleared"
        // events fire the shipped Sigma rule of that name.
        let iocs = try temporaryFolder("ts-iocs")
        try iocs.write("custom-filename-iocs.txt", "# Renamed system log\n\\\\stolen-system\\.evtx$;60\n")
        let service = try ThorService(["--modules", "evtx,sigma,ioc", "--ioc-dir", iocs.path])
        defer { service.stop() }

        let own = try checkEVTX(service, name: "C:\\loot\\stolen-system.evtx", content: content)
        XCTAssertEqual((own["context"] as? [String: Any])?["file"] as? String, "C:\\loot\\stolen-system.evtx")
        XCTAssertEqual(reasons(own), ["Filename IOC: Renamed system log"])
        XCTAssertEqual(own["score"] as? Int, 60)
        XCTAssertEqual(facts(own), [1118208, "f24c8faecd59bf6593eba55f2ac1a139", "EVTX"])

        let child = try checkEVTX(service, name: "C:\\logs\\system.evtx", content: content)
        // Only the events scored: their reasons, with the uploaded file's own facts around them.
        XCTAssertEqual((child["matches"] as? [[String: Any]])?.compactMap { $0["rulename"] as? String }, ["Event Log Cleared"])
        XCTAssertEqual(child["score"] as? Int, 70)
        XCTAssertEqual((child["context"] as? [String: Any])?["file"] as? String, "C:\\logs\\system.evtx")
        XCTAssertEqual(facts(child), [1118208, "f24c8faecd59bf6593eba55f2ac1a139", "EVTX"])
    }
}
