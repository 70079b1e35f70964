@testable import EVTX
import Foundation
import XCTest

/// The damaged and dirty corpus files: what is recovered, what is skipped and why.
final class CorpusDamageTests: XCTestCase {
    /// The header claims 1 chunk; 17 are in the file: 9 hold records, 8 are garbage (the
    /// first of them starts with a zero magic but is not empty).
    /// python-evtx trusting the header finds 41 records, evtx-rs and this parser 358.
    func testSysmonDirtyHeaderChunksAreRecovered() throws {
        let file = try EVTXFile(path: try Corpus.url("sysmon.evtx").path)
        XCTAssertEqual(file.header.chunkCount, 1)
        XCTAssertTrue(file.header.isDirty)
        let (records, d) = file.records()
        XCTAssertEqual(records.count, 358)
        XCTAssertEqual(d.chunksParsed, 9)
        XCTAssertEqual(d.chunksBeyondHeaderCount, 8)
        XCTAssertEqual(d.chunksSkippedCount, 8)
        XCTAssertEqual(d.chunksEmpty, 0)
        XCTAssertEqual(d.chunksSkipped.map(\.description), (9...16).map { "chunk \($0) @\(4096 + $0 * 65536): invalid chunk magic" })
    }

    /// 17 chunk slots: the 3 the header counts, 12 more with records, 2 all zero at the end.
    func testSystemDirtyHeader() throws {
        let file = try EVTXFile(path: try Corpus.url("system.evtx").path)
        XCTAssertEqual(file.header.chunkCount, 3)
        let (records, d) = file.records()
        XCTAssertEqual(records.count, 1881)
        XCTAssertEqual(d.chunksParsed, 15)
        XCTAssertEqual(d.chunksBeyondHeaderCount, 12)
        XCTAssertEqual(d.summary, "records: 1881, chunks: 15 (12 recovered beyond the header's chunk count), empty chunks: 2, "
                       + "chunks skipped: 0, records skipped: 0")
    }

    /// 16 chunk slots: 4 with records, 2 with a broken magic, 10 all zero.
    func testBadChunkMagicIsSkippedAndParsingContinues() throws {
        let (records, d) = try Corpus.parse("sample_with_a_bad_chunk_magic.evtx")
        XCTAssertEqual(records.count, 270)
        XCTAssertEqual([d.chunksParsed, d.chunksEmpty, d.recordsSkippedCount], [4, 10, 0])
        XCTAssertEqual(d.chunksSkipped.map(\.description), ["chunk 6 @\(4096 + 6 * 65536): invalid chunk magic",
                                                           "chunk 10 @\(4096 + 10 * 65536): invalid chunk magic"])
    }

    func testZeroSizeRecordEndsItsChunkOnly() throws {
        let (records, d) = try Corpus.parse("sample-with-zero-data-size-event.evtx")
        XCTAssertEqual(records.count, 335)
        XCTAssertEqual(d.recordsSkippedCount, 1)
        XCTAssertEqual(d.recordsSkipped.map(\.description), ["chunk 0 @6176: record size 0 smaller than 28; rest of chunk skipped"])
    }

    /// evtx-rs reports 4 errors here: two broken records and two broken record headers
    /// reached after them (this parser counts those as 2 records skipped and 2 chunk ends).
    func testCorruptRecordsInsideValidChunks() throws {
        let (records, d) = try Corpus.parse("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx")
        XCTAssertEqual(records.count, 1910)
        XCTAssertEqual(d.recordsSkippedCount, 4)
        XCTAssertEqual(d.recordsSkipped.map(\.description), [
            "chunk 0 @53200: record 6335011: truncated substitution value at offset 49220",
            "chunk 0 @53680: invalid record magic; rest of chunk skipped",
            "chunk 13 @905112: record 6914519: out-of-range FILETIME at 49178",
            "chunk 13 @905584: invalid record magic; rest of chunk skipped",
        ])
    }

    func testHelloForBusinessEmptySystemValues() throws {
        let (records, _) = try Corpus.parse("Microsoft-Windows-HelloForBusiness%4Operational.evtx")
        let last = try XCTUnwrap(records.last)
        XCTAssertEqual(last.value("EventID"), "0")
        XCTAssertEqual(last.timeCreatedString, "1601-01-01T00:00:00.000000Z")
        XCTAssertNil(last.value("Channel"))
    }

    /// A forwarded event: System values are strings, TimeCreated has 9 fractional digits,
    /// unnamed Data values are Data, Data_1, ...
    func testForwardedEventWithRenderingInfo() throws {
        let (records, _) = try Corpus.parse("MSExchange_Management_wec.evtx")
        let r = try XCTUnwrap(records.first)
        XCTAssertEqual(r.recordID, 1)
        XCTAssertEqual(r.value("EventRecordID"), "3229")
        XCTAssertEqual(r.timeCreatedString, "2021-11-19T16:52:33.833733500Z")
        XCTAssertEqual(r.value("Data"), "Set-Mailbox")
        XCTAssertEqual(r.value("EventID_Qualifiers"), "16384")
        XCTAssertEqual(r.value("Data_26"), "fr-FR")
        XCTAssertEqual(r.fields.count, 37)
    }

    /// Checksums are checked and reported, never fatal; python-evtx's per-chunk CRC table
    /// gives the same mismatches. Application_no_crc32.evtx sets the chunk flag that says
    /// its CRCs are not maintained, so only its file header mismatch is reported here.
    func testChecksumMismatchesMatchPythonEvtx() throws {
        for url in try Corpus.evtxFiles() {
            let name = url.lastPathComponent
            let summary = try Corpus.summary(name)
            let py = try XCTUnwrap(summary["python_evtx"] as? [String: Any])
            var expected = Set<String>()
            for c in py["chunks"] as? [[String: Any]] ?? [] {
                let i = c["index"] as? Int ?? -1
                if c["header_checksum_ok"] as? Bool == false { expected.insert("\(i) chunk header checksum mismatch") }
                if c["data_checksum_ok"] as? Bool == false { expected.insert("\(i) chunk data checksum mismatch") }
            }
            let (_, d) = try EVTXFile(path: url.path).records()
            var got = Set(d.checksumMismatches.filter { $0.chunk >= 0 }.map { "\($0.chunk) \($0.reason)" })
            if name == "Application_no_crc32.evtx" {
                XCTAssertEqual(got, [], name)
                XCTAssertEqual(d.checksumMismatches.map(\.reason), ["file header checksum mismatch"])
                got = expected
            }
            XCTAssertEqual(got, expected, name)
        }
    }
}

/// Parsing chunks concurrently gives the same records, in the same order, and the same
/// diagnostics as one thread.
final class ParallelParsingTests: XCTestCase {
    func testThreadsGiveIdenticalResults() throws {
        for name in ["security.evtx", "sysmon.evtx", "2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx"] {
            let file = try EVTXFile(path: try Corpus.url(name).path)
            var one: [EventRecord] = [], many: [EventRecord] = []
            let d1 = file.forEachRecord { one.append($0); return true }
            let d4 = file.forEachRecord(threads: 4) { many.append($0); return true }
            XCTAssertEqual(one.count, many.count, name)
            XCTAssertEqual(one.map(\.fileOffset), many.map(\.fileOffset), name)
            XCTAssertTrue(zip(one, many).allSatisfy { $0.fields == $1.fields }, name)
            XCTAssertEqual(d1.summary, d4.summary, name)
            var seen = 0
            file.forEachRecord(threads: 2) { _ in seen += 1; return seen < 10 }
            XCTAssertEqual(seen, 10, name)
        }
    }
}
