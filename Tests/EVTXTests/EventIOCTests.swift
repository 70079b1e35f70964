import Foundation
import TestSupport
import XCTest

/// The ioc module on the evtx module's event objects: keyword and C2 IOCs over every field, each IOC
/// one finding per event with the fields it was found in.
final class EventIOCTests: XCTestCase {
    func testKeywordAndC2IOCsOnEventFields() throws {
        try Corpus.requireCorpus()
        let thor = try BuildProducts.thor(with: ["libthor-evtx.so", "libthor-ioc.so"])
        let tmp = try temporaryFolder("evtx-ioc").path
        for dir in ["tree", "iocs", "out"] { try FileManager.default.createDirectory(atPath: tmp + "/" + dir, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: try Corpus.url("LM_Remote_Service02_7045.evtx").path, toPath: tmp + "/tree/services.evtx")
        // The first of the three 7045 events installs the service "spoolfool"; all three come from
        // WIN-77LTAPHIQ1R.example.corp.
        try "# Service name of the test\nspoolfool\n".write(toFile: tmp + "/iocs/test-keywords.txt", atomically: true, encoding: .utf8)
        try "# Test domain\nexample.corp;80\n".write(toFile: tmp + "/iocs/test-c2-iocs.txt", atomically: true, encoding: .utf8)
        let run = try ChildProcess.run(thor, ["--plugin-dir", BuildProducts.buildDir, "--modules", "evtx,ioc", "--ioc-dir", tmp + "/iocs",
                                              "-p", tmp + "/tree", "-e", tmp + "/out", "--json", "--nolog", "--max-reasons", "0",
                                              "--nocolor", "--nocpulimit", "--nolowprio"], mergeOutput: true)
        XCTAssertEqual(run.status, 1, run.stdout)
        var found: [String] = []
        for line in try ScanLog.lines(in: tmp + "/out", suffix: ".json", context: run.stdout) {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["type"] as? String == "THOR finding" else { continue }
            let path = ((object["subject"] as? [String: Any])?["path"] as? String ?? "").components(separatedBy: "/").last ?? ""
            for reason in object["reasons"] as? [[String: Any]] ?? [] {
                let signature = reason["signature"] as? [String: Any] ?? [:]
                let fields = (reason["matched"] as? [[String: Any]] ?? []).map { $0["field"] as? String ?? "?" }
                found.append("\(path) \(signature["kind"] as? String ?? "?") \(signature["rule_name"] as? String ?? "?") "
                             + "\(signature["score"] as? Int ?? -1) \(fields.joined(separator: ","))")
            }
        }
        XCTAssertEqual(found.sorted(), [
            "services.evtx|1 C2 IOC example.corp 80 Computer",
            "services.evtx|1 Keyword IOC spoolfool 75 ServiceName",
            "services.evtx|2 C2 IOC example.corp 80 Computer",
            "services.evtx|3 C2 IOC example.corp 80 Computer",
        ], run.stdout)
    }
}
