@testable import EVTX
import Foundation
import XCTest

/// Hostile input: truncations, random bytes and seeded mutations must give per-file
/// diagnostics or a clear error, never a trap or a hang.
final class RobustnessTests: XCTestCase {
    /// Deterministic xorshift so failures reproduce.
    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return s
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    private func parseAll(_ bytes: [UInt8]) -> (records: Int, diagnostics: EVTXDiagnostics?, error: String?) {
        do {
            let f = try EVTXFile(bytes: bytes)
            var n = 0
            let d = f.forEachRecord { r in
                // Decode every field (the work under test), then count the record.
                _ = r.fields
                n += 1
                _ = r.renderJSON()
                return true
            }
            XCTAssertEqual(d.recordsParsed, n)
            return (n, d, nil)
        } catch {
            return (0, nil, "\(error)")
        }
    }

    func testNonEVTXInputIsRefusedClearly() {
        XCTAssertEqual(parseAll([]).error, "not an EVTX file: 0 bytes, shorter than a file header")
        XCTAssertEqual(parseAll([UInt8](repeating: 0x41, count: 5000)).error, "not an EVTX file: no ElfFile magic")
        XCTAssertThrowsError(try EVTXFile(path: "/nonexistent/x.evtx")) { e in
            XCTAssertTrue("\(e)".hasPrefix("cannot read /nonexistent/x.evtx: "))
        }
        // Random bytes behind the file magic: the header's CRC does not match, and the one chunk slot
        // holds neither "ElfChnk" nor zeros.
        var rng = Rng(s: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<20 {
            var junk = (0..<(4096 + 65536)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            junk.replaceSubrange(0..<8, with: Array("ElfFile\0".utf8))
            let r = parseAll(junk)
            XCTAssertNil(r.error)
            XCTAssertEqual(r.records, 0)
            XCTAssertEqual(r.diagnostics?.summary, "records: 0, chunks: 0, chunks skipped: 1, records skipped: 0, "
                           + "checksum mismatches: 1, reasons: chunk 0 @4096: invalid chunk magic")
        }
    }

    /// Truncating a one-chunk file anywhere keeps exactly the records that are still complete. A
    /// record counts as complete once all but its trailing 4-byte copy of the size is there (the
    /// parser reads the size from the header); a record cut after its 24-byte header is skipped.
    func testTruncationAtManyOffsets() throws {
        let bytes = Array(try Data(contentsOf: try Corpus.url("new-user-security.evtx")))
        XCTAssertEqual(bytes.count, 4096 + 65536)
        let (records, _) = try EVTXFile(bytes: bytes).records()
        let starts = records.map(\.fileOffset)
        let ends = starts.map { start in start + Int(bytes.withUnsafeBytes { $0.le32(start + 4) }) }
        // Four records back to back from the end of the chunk header (4096 + 512).
        XCTAssertEqual(starts, [4608, 6912, 9160, 9624])
        XCTAssertEqual(ends, [6912, 9160, 9624, 10104])
        for cut in stride(from: 0, through: bytes.count, by: 97) {
            let r = parseAll(Array(bytes[0..<cut]))
            guard cut >= 128 else {
                XCTAssertEqual(r.error, "not an EVTX file: \(cut) bytes, shorter than a file header")
                continue
            }
            let d = try XCTUnwrap(r.diagnostics, "cut \(cut)")
            XCTAssertEqual(r.records, ends.filter { $0 - 4 <= cut }.count, "cut \(cut)")
            let cutRecord = zip(starts, ends).first { start, end in start + 24 <= cut && cut < end - 4 }
            XCTAssertEqual(d.recordsSkipped.map(\.description), cutRecord.map { start, end in
                ["chunk 0 @\(start): record of \(end - start) bytes extends past the end of the file; rest of chunk skipped"]
            } ?? [], "cut \(cut)")
            let expectedNotes: [String]
            switch cut - 4096 {
            case ...0, 65536: expectedNotes = []
            case ..<512: expectedNotes = ["trailing \(cut - 4096) bytes after the last chunk ignored"]
            default: expectedNotes = ["chunk 0 truncated to \(cut - 4096) bytes; its complete records are parsed"]
            }
            XCTAssertEqual(d.notes, expectedNotes, "cut \(cut)")
        }
    }

    /// Seeded mutations (byte flips, 32-bit overwrites, zeroed ranges) of a small corpus file: every run
    /// finishes with diagnostics (the total time budget keeps a hang from going unnoticed), and damage
    /// costs nothing before it: records that end before the first changed byte behind the chunk header
    /// parse to the same fields (a record depends only on the chunk header, earlier records and itself).
    func testSeededMutations() throws {
        let original = Array(try Data(contentsOf: try Corpus.url("Powershell_4104_MiniDumpWriteDump_Lsass.evtx")))
        let (intact, _) = try EVTXFile(bytes: original).records()
        XCTAssertEqual(intact.count, 4)
        let intactEnds = intact.map { r in r.fileOffset + Int(original.withUnsafeBytes { $0.le32(r.fileOffset + 4) }) }
        var rng = Rng(s: 0xDEAD_BEEF_CAFE_F00D)
        let start = Date()
        var parsed = 0, skipped = 0, walkStops = 0, chunksSkipped = 0
        for i in 0..<3000 {
            var b = original
            for _ in 0..<(1 + rng.below(8)) {
                // Mostly inside the first chunk's records, where the BinXML lives.
                let at = 4096 + rng.below(min(b.count - 4096, 16384))
                switch rng.below(4) {
                case 0: b[at] ^= UInt8(truncatingIfNeeded: 1 << rng.below(8))
                case 1: b[at] = UInt8(truncatingIfNeeded: rng.next())
                case 2:
                    let v = [0, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000, UInt32(rng.below(70000))][rng.below(5)]
                    for k in 0..<4 where at + k < b.count { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
                default:
                    for k in 0..<rng.below(64) where at + k < b.count { b[at + k] = 0 }
                }
            }
            let f = try EVTXFile(bytes: b)
            var got: [EventRecord] = []
            let d = f.forEachRecord { _ = $0.renderText(); got.append($0); return true }
            parsed += d.recordsParsed
            skipped += d.recordsSkippedCount
            walkStops += d.recordsSkipped.filter { $0.reason.hasSuffix("; rest of chunk skipped") }.count
            chunksSkipped += d.chunksSkippedCount
            if let firstChange = (4096..<b.count).first(where: { b[$0] != original[$0] }), firstChange >= 4096 + 512 {
                let kept = intactEnds.filter { $0 <= firstChange }.count
                XCTAssertEqual(got.prefix(kept).map(\.fields), intact.prefix(kept).map(\.fields), "mutation \(i)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 600, "mutation \(i) too slow")
        }
        // Of 12,000 records: what these mutations cost with this parser (any change in how damage is
        // handled shows here). Walk stops are broken record headers; 9 runs hit the chunk magic.
        XCTAssertEqual(parsed, 10873)
        XCTAssertEqual(skipped, 973)
        XCTAssertEqual(walkStops, 20)
        XCTAssertEqual(chunksSkipped, 9)
    }

    /// A record whose stream is one CDATA token declaring more characters than the record holds,
    /// with readable text behind the record in the chunk: the record is skipped, never filled with
    /// the bytes of what follows it.
    func testATokenLengthIsBoundedByItsRecordNotItsChunk() throws {
        let header = Array(try Data(contentsOf: try Corpus.url("new-user-security.evtx"))[0..<4096])
        // "A" in UTF-16 everywhere, then the chunk header, one record header (size 4096) and its stream.
        var chunk = [UInt8](repeating: 0, count: 65536)
        for i in stride(from: 512, to: chunk.count, by: 2) { chunk[i] = 0x41 }
        chunk.replaceSubrange(0..<8, with: Array("ElfChnk\0".utf8))
        chunk.replaceSubrange(48..<52, with: [0, 0xFF, 0, 0])
        chunk.replaceSubrange(512..<520, with: [0x2A, 0x2A, 0, 0, 0x00, 0x10, 0, 0])
        chunk.replaceSubrange(536..<543, with: [0x0F, 0x01, 0x01, 0x00, 0x07, 0x00, 0x10])  // CDATA of 4,096 characters
        let r = parseAll(header + chunk)
        XCTAssertNil(r.error)
        let d = try XCTUnwrap(r.diagnostics)
        XCTAssertEqual(r.records, 0)
        // The CDATA's characters would start at 543 and need 8,192 bytes; the record ends at 4,608.
        // (The record id is what the "A"s make of its header.) Where the next record would be,
        // the "A"s are no record magic.
        XCTAssertEqual(d.recordsSkipped.map(\.description), ["chunk 0 @4608: record 18296152663326785: truncated CDATA at offset 543",
                                                              "chunk 0 @8704: invalid record magic; rest of chunk skipped"])
    }

    /// Chunks of random small bytes (0...0x1F) behind a valid chunk magic and one record header
    /// (size 4096): the record's stream is mostly rejected, and the bytes where the next record header
    /// would be never hold its magic (0x2A > 0x1F).
    func testRandomChunksAfterValidHeader() throws {
        let header = Array(try Data(contentsOf: try Corpus.url("new-user-security.evtx"))[0..<4096])
        var rng = Rng(s: 42)
        var parsed = 0
        for _ in 0..<50 {
            var chunk = (0..<65536).map { _ in UInt8(truncatingIfNeeded: rng.next() & 0x1F) }
            chunk.replaceSubrange(0..<8, with: Array("ElfChnk\0".utf8))
            // A plausible free space offset and record headers at the start of the data.
            chunk.replaceSubrange(48..<52, with: [0, 0xFF, 0, 0])
            chunk.replaceSubrange(512..<520, with: [0x2A, 0x2A, 0, 0, 0x00, 0x10, 0, 0])
            let r = parseAll(header + chunk)
            XCTAssertNil(r.error)
            let d = try XCTUnwrap(r.diagnostics)
            XCTAssertEqual(d.recordsParsed + d.recordsSkippedCount, 2)
            XCTAssertEqual(d.recordsSkipped.last?.description, "chunk 0 @8704: invalid record magic; rest of chunk skipped")
            // Random CRCs never match, unless the random flags say the chunk keeps none.
            XCTAssertEqual(d.checksumMismatchCount, chunk[120] & 4 != 0 ? 0 : 2)
            XCTAssertEqual(try EVTXFile(bytes: header + chunk).records().0.map(\.fields.count), Array(repeating: 0, count: r.records))
            parsed += r.records
        }
        // None parses: a stream that begins with CDATA or PI data gets a length that runs past the
        // record's end, and the compiler bounds every token by its record (it once allowed the chunk,
        // and 5 of these records "parsed" by reading into the bytes after them).
        XCTAssertEqual(parsed, 0)
    }
}
