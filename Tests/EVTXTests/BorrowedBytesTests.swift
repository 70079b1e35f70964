import EVTX
import Foundation
import XCTest

/// `EVTXFile.forEachRecord(in:)`, the walk the evtx module runs over the host's mapped bytes, gives
/// what the owned copy gives, and refuses what is not EVTX the same way.
final class BorrowedBytesTests: XCTestCase {
    private func borrowedWalk(_ bytes: [UInt8], threads: Int = 1) throws -> ([String], EVTXDiagnostics) {
        var json: [String] = []
        let diag = try bytes.withUnsafeBytes { raw in
            try EVTXFile.forEachRecord(in: raw, threads: threads) { json.append($0.renderJSON()); return true }
        }
        return (json, diag)
    }

    func testBorrowedBytesGiveTheRecordsAndDiagnosticsOfTheOwnedCopy() throws {
        for (name, count) in [("sysmon.evtx", 358), ("sample_with_a_bad_chunk_magic.evtx", 270)] {
            let bytes = Array(try Data(contentsOf: try Corpus.url(name)))
            let (owned, ownedDiag) = try EVTXFile(bytes: bytes).records()
            for threads in [1, 2] {
                let (json, diag) = try borrowedWalk(bytes, threads: threads)
                XCTAssertEqual(json.count, count, name)
                XCTAssertEqual(json, owned.map { $0.renderJSON() }, name)
                XCTAssertEqual(diag.summary, ownedDiag.summary, name)
                XCTAssertEqual(diag.chunksSkipped.map(\.chunk), ownedDiag.chunksSkipped.map(\.chunk), name)
            }
        }
    }

    func testBorrowedWalkStopsWhenTheBodySaysSo() throws {
        let bytes = Array(try Data(contentsOf: try Corpus.url("sysmon.evtx")))
        var seen = 0
        let diag = try bytes.withUnsafeBytes { raw in
            try EVTXFile.forEachRecord(in: raw) { _ in seen += 1; return seen < 5 }
        }
        XCTAssertEqual(seen, 5)
        XCTAssertEqual(diag.recordsParsed, 5)
    }

    func testNonEVTXBytesAreRefusedAsByTheOwnedCopy() {
        for (bytes, message) in [([UInt8](repeating: 0, count: 100), "not an EVTX file: 100 bytes, shorter than a file header"),
                                 ([UInt8](repeating: 0x41, count: 5000), "not an EVTX file: no ElfFile magic")] {
            XCTAssertThrowsError(try borrowedWalk(bytes)) { XCTAssertEqual("\($0)", message) }
        }
    }
}
