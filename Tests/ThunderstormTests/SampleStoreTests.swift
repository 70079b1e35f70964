import Foundation
import XCTest

/// --server-store-samples none|all|malicious: what lands in `<upload dir>/samples` for each policy,
/// under names no client input reaches.
final class SampleStoreTests: XCTestCase {
    /// Client file names that try to escape or to name the stored file.
    private static let traversal = "../../../../../tmp/ts-store-escape-\(UUID().uuidString).com"
    private static let windowsName = "C:\\Users\\a\\..\\..\\clean.txt"
    private static let marked = Array("pad THUNDERSTORM-TEST-MARKER pad\n".utf8)

    /// Sends an EICAR (Alert) and a marker sample (Warning) to /api/check, a mimikatz-named clean
    /// file (Notice) and a clean file (no finding, no source) to /api/checkAsync; returns the store.
    private func storeAfterSamples(policy: String) throws -> (directory: String, stored: [String: [UInt8]]) {
        let server = try TestServer(arguments: ["--store", policy])
        defer { server.stop() }
        let http = RawHTTP(port: server.port)
        let type = "multipart/form-data; boundary=b"
        func body(_ name: String, _ content: [UInt8]) -> [UInt8] { RawHTTP.multipart(boundary: "b", parts: [RawHTTP.filePart(name, content)]) }

        XCTAssertEqual(try http.post("/api/check?source=..%2F..%2Fetc", contentType: type, body: body(Self.traversal, Samples.eicar)).status, 200)
        XCTAssertEqual(try http.post("/api/check?source=s2", contentType: type, body: body("/x/marked.bin", Self.marked)).status, 200)
        var ids: [Int] = []
        for (name, content) in [("/home/u/mimikatz.txt", Array("notes\n".utf8)), (Self.windowsName, Samples.clean)] {
            let response = try http.post(name.hasPrefix("C:") ? "/api/checkAsync" : "/api/checkAsync?source=s3", contentType: type, body: body(name, content))
            ids.append(try XCTUnwrap((try response.json() as? [String: Any])?["id"] as? Int, response.text))
        }
        for id in ids {
            var status = ""
            for _ in 0..<200 where status != "Sample analysis complete" {
                status = (try http.get("/api/getAsyncResults?id=\(id)").json() as? [String: Any])?["status"] as? String ?? ""
                if status != "Sample analysis complete" { Thread.sleep(forTimeInterval: 0.02) }
            }
            XCTAssertEqual(status, "Sample analysis complete")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/" + (Self.traversal.split(separator: "/").last.map(String.init) ?? "")))
        // Nothing of a sample is left outside the store and the queue's results.
        let leftovers = try regularFiles(server.uploadDirectory).filter { !$0.hasPrefix("samples/") && !$0.hasPrefix("queue/results/") && $0 != "queue/next-id" }
        XCTAssertEqual(leftovers, [])

        let directory = server.uploadDirectory + "/samples"
        var stored: [String: [UInt8]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            stored[name] = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }
        return (directory, stored)
    }

    private func regularFiles(_ root: String) throws -> [String] {
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeRegular { files.append(path) }
        }
        return files.sorted()
    }

    private func sidecar(_ stored: [String: [UInt8]], _ content: [UInt8]) throws -> [String: Any] {
        let json = try XCTUnwrap(stored[Samples.sha256(content) + ".json"], "no sidecar for \(Samples.sha256(content))")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    }

    func testNoneStoresNothing() throws {
        let (directory, stored) = try storeAfterSamples(policy: "none")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory))
        XCTAssertEqual(stored.count, 0)
    }

    func testAllStoresEverySampleUnderItsSHA256() throws {
        let (_, stored) = try storeAfterSamples(policy: "all")
        let samples = [Samples.eicar, Self.marked, Array("notes\n".utf8), Samples.clean]
        XCTAssertEqual(Set(stored.keys), Set(samples.flatMap { [Samples.sha256($0), Samples.sha256($0) + ".json"] }))
        for sample in samples { XCTAssertEqual(stored[Samples.sha256(sample)], sample) }
        // The client's names and sources are kept as sent, in the sidecar only.
        let eicar = try sidecar(stored, Samples.eicar)
        XCTAssertEqual(eicar["file"] as? String, Self.traversal)
        XCTAssertEqual(eicar["source"] as? String, "../../etc")
        XCTAssertEqual(eicar["level"] as? String, "Alert")
        XCTAssertEqual(eicar["score"] as? Int, 100)
        let clean = try sidecar(stored, Samples.clean)
        XCTAssertEqual(clean["file"] as? String, Self.windowsName)
        XCTAssertEqual(clean["level"] as? String, "")
        // No source: the client's reverse-DNS name (loopback is localhost on this machine).
        XCTAssertEqual(clean["source"] as? String, "localhost")
        XCTAssertEqual(try sidecar(stored, Array("notes\n".utf8))["level"] as? String, "Notice")
    }

    func testMaliciousStoresWarningsAndAlertsOnly() throws {
        let (_, stored) = try storeAfterSamples(policy: "malicious")
        XCTAssertEqual(Set(stored.keys), [Samples.sha256(Samples.eicar), Samples.sha256(Samples.eicar) + ".json",
                                          Samples.sha256(Self.marked), Samples.sha256(Self.marked) + ".json"])
        XCTAssertEqual(stored[Samples.sha256(Samples.eicar)], Samples.eicar)
        XCTAssertEqual(stored[Samples.sha256(Self.marked)], Self.marked)
        XCTAssertEqual(try sidecar(stored, Self.marked)["level"] as? String, "Warning")
        XCTAssertEqual(try sidecar(stored, Self.marked)["file"] as? String, "/x/marked.bin")
    }
}
