import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import XCTest

/// config/false_positive_filters.cfg in the service: a sample whose finding a filter matches is
/// answered clean and its finding is in no log; other samples are reported as always.
final class FalsePositiveFilterServiceTests: XCTestCase {
    func testAFilteredFindingIsNeitherAnsweredNorLogged() throws {
        // A program folder of its own (its config/ is where the filters are): the built thor linked
        // into it, an empty signatures/ so that the checkout's is not taken, the build's modules.
        let built = try ThorService.requireThor()
        let program = try temporaryFolder("program")
        let thor = program.path + "/thor"
        if link(built, thor) != 0 { try FileManager.default.copyItem(atPath: built, toPath: thor) }
        try FileManager.default.createDirectory(atPath: program.path + "/signatures", withIntermediateDirectories: true)
        _ = try program.write("config/false_positive_filters.cfg", "# the admins' test file\nFILE: known-test-file\\.com \n")
        let signatures = BuildProducts.packageRoot + "/Signatures"
        let service = try ThorService(["--modules", "yara,ioc", "--plugin-dir", BuildProducts.buildDir,
                                       "--yara-dir", signatures + "/yara", "--ioc-dir", signatures + "/iocs"], executable: thor)
        defer { service.stop() }

        XCTAssertEqual(try check(service, name: "known-test-file.com", content: Samples.eicar), "[]", "filtered: answered clean")
        let reported = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(check(service, name: "eicar.com", content: Samples.eicar).utf8)) as? [[String: Any]])
        XCTAssertEqual(reported.count, 1)
        XCTAssertEqual((reported.first?["context"] as? [String: Any])?["file"] as? String, "eicar.com")

        service.stop()
        let text = try service.logLines(".txt")
        XCTAssertFalse(text.contains { $0.contains("known-test-file.com") }, text.joined(separator: "\n"))
        XCTAssertEqual(text.filter { $0.contains("MODULE: Filescan") && $0.contains("FILE: eicar.com ") }.count, 1, text.joined(separator: "\n"))
        XCTAssertTrue(text.contains { $0.hasSuffix("MESSAGE: False-positive filters applied FILE: \(program.path)/config/false_positive_filters.cfg DROPPED: 1") },
                      text.joined(separator: "\n"))
    }

    /// The raw answer body of /api/check for one sample.
    private func check(_ service: ThorService, name: String, content: [UInt8]) throws -> String {
        let response = try RawHTTP(port: service.port).post("/api/check", contentType: "multipart/form-data; boundary=b",
                                                            body: RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart(name, content)]))
        XCTAssertEqual(response.status, 200, response.text)
        return response.text
    }
}
