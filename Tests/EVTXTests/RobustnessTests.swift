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

    private func parseAll(_ bytes: [UInt8]) -> (records: Int, error: String?) {
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
            return (n, nil)
        } catch {
            return (0, "\(error)")
        }
    }

    func testNonEVTXInputIsRefusedClearly() {
        XCTAssertEqual(parseAll([]).error, "not an EVTX file: 0 bytes, shorter than a file header")
        XCTAssertEqual(parseAll([UInt8](repeating: 0x41, count: 5000)).error, "not an EVTX file: no ElfFile magic")
        XCTAssertThrowsError(try EVTXFile(path: "/nonexistent/x.evtx")) { e in
            XCTAssertTrue("\(e)".hasPrefix("cannot read /nonexistent/x.evtx: "))
        }
        var rng = Rng(s: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<20 {
            var junk = (0..<(4096 + 65536)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            junk.replaceSubrange(0..<8, with: Array("ElfFile\0".utf8))
            let r = parseAll(junk)
            XCTAssertNil(r.error)
            XCTAssertEqual(r.records, 0)
        }
    }

    /// Truncating a one-chunk file anywhere keeps every record that is still complete.
    func testTruncationAtManyOffsets() throws {
        let bytes = Array(try Data(contentsOf: try Corpus.url("new-user-security.evtx")))
        XCTAssertEqual(parseAll(bytes).records, 4)
        var lastCount = 0
        for cut in stride(from: 0, through: bytes.count, by: 97) {
            let r = parseAll(Array(bytes[0..<cut]))
            if cut < 128 { XCTAssertNotNil(r.error) }
            XCTAssertGreaterThanOrEqual(r.records, lastCount, "cut \(cut)")  // records only accumulate
            lastCount = r.records
        }
        XCTAssertEqual(lastCount, 4)
        // Truncated in the middle of the chunk: its complete records are parsed and a note says so.
        let file = try EVTXFile(bytes: Array(bytes[0..<(4096 + 9000)]))
        let (records, d) = file.records()
        XCTAssertGreaterThan(records.count, 0)
        XCTAssertEqual(d.notes, ["chunk 0 truncated to 9000 bytes; its complete records are parsed"])
    }

    /// A few thousand seeded mutations (byte flips, 32-bit overwrites, zeroed ranges) of a
    /// small corpus file. Every run must finish with diagnostics; the total budget keeps a
    /// hang from going unnoticed.
    func testSeededMutations() throws {
        let original = Array(try Data(contentsOf: try Corpus.url("Powershell_4104_MiniDumpWriteDump_Lsass.evtx")))
        var rng = Rng(s: 0xDEAD_BEEF_CAFE_F00D)
        let start = Date()
        var parsed = 0, skipped = 0
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
            let d = f.forEachRecord { _ = $0.renderText(); return true }
            parsed += d.recordsParsed
            skipped += d.recordsSkippedCount
            XCTAssertLessThan(Date().timeIntervalSince(start), 600, "mutation \(i) too slow")
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(skipped, 0)
    }

    /// Chunks of random small bytes behind a valid chunk magic and a record header.
    func testRandomChunksAfterValidHeader() throws {
        let header = Array(try Data(contentsOf: try Corpus.url("new-user-security.evtx"))[0..<4096])
        var rng = Rng(s: 42)
        for _ in 0..<50 {
            var chunk = (0..<65536).map { _ in UInt8(truncatingIfNeeded: rng.next() & 0x1F) }
            chunk.replaceSubrange(0..<8, with: Array("ElfChnk\0".utf8))
            // A plausible free space offset and record headers at the start of the data.
            chunk.replaceSubrange(48..<52, with: [0, 0xFF, 0, 0])
            chunk.replaceSubrange(512..<520, with: [0x2A, 0x2A, 0, 0, 0x00, 0x10, 0, 0])
            let r = parseAll(header + chunk)
            XCTAssertNil(r.error)
        }
    }
}
