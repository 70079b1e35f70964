import EVTX
import XCTest

/// Parity with pyevtx-rs 0.14 (the `evtx_rs` block of expected/evtx/*.summary.json) on every
/// corpus file, including dirty files whose header claims fewer chunks than they hold.
/// python-evtx with header chunks only (e.g. sysmon.evtx 41, system.evtx 326) and libevtx
/// (HelloForBusiness 5, bad_chunk_magic 267) report fewer records; evtx-rs's count is the best
/// of the references on every file, and this parser equals it.
final class CorpusSummaryTests: XCTestCase {
    func testEveryCorpusFileMatchesEvtxRs() throws {
        let files = try Corpus.evtxFiles()
        XCTAssertEqual(files.count, 22)
        for url in files {
            let name = url.lastPathComponent
            let ref = try XCTUnwrap(try Corpus.summary(name)["evtx_rs"] as? [String: Any], name)
            let (records, diag) = try EVTXFile(path: url.path).records()
            XCTAssertEqual(records.count, ref["records_ok"] as? Int, name)
            XCTAssertEqual(diag.recordsParsed, records.count, name)
            guard let first = records.first, let last = records.last else { continue }
            check(first, ref["first_in_file_order"] as? [String: Any], name + " first")
            check(last, ref["last_in_file_order"] as? [String: Any], name + " last")

            let ids = Set(records.map(\.recordID))
            XCTAssertEqual(ids.count, ref["distinct_event_record_ids"] as? Int, name)
            XCTAssertEqual(ids.min(), (ref["min_event_record_id"] as? NSNumber)?.uint64Value, name)
            XCTAssertEqual(ids.max(), (ref["max_event_record_id"] as? NSNumber)?.uint64Value, name)
            var histogram: [String: Int] = [:]
            for r in records { histogram[r.value("EventID") ?? "", default: 0] += 1 }
            let refHistogram = (ref["event_ids"] as? [String: Int]) ?? [:]
            XCTAssertEqual(histogram, refHistogram, name)
        }
    }

    private func check(_ r: EventRecord, _ ref: [String: Any]?, _ what: String) {
        guard let ref else { return XCTFail("no reference for \(what)") }
        XCTAssertEqual(String(r.recordID), referenceText(ref["event_record_id"]), what)
        XCTAssertEqual(r.value("EventRecordID") ?? "", referenceText(ref["system_event_record_id"]), what)
        XCTAssertEqual(r.value("EventID") ?? "", referenceText(ref["event_id"]), what)
        XCTAssertEqual(r.timeCreatedString, referenceText(ref["time_created"]), what)
        // evtx-rs prints the record header time with a " UTC" suffix.
        XCTAssertEqual(r.writtenTimeString + " UTC", referenceText(ref["record_header_timestamp"]), what)
        XCTAssertEqual(r.value("Channel") ?? "", referenceText(ref["channel"]), what)
        XCTAssertEqual(r.value("Provider_Name") ?? "", referenceText(ref["provider"]), what)
        XCTAssertEqual(r.value("Computer") ?? "", referenceText(ref["computer"]), what)
    }

    /// Every record of every file, in file order, against expected/evtx/records/*.tsv
    /// (record id, EventID, TimeCreated, Channel, Provider, Computer; `#ERROR` lines are
    /// evtx-rs's skipped records and chunks).
    func testEveryRecordMatchesEvtxRsRecordTable() throws {
        for url in try Corpus.evtxFiles() {
            let name = url.lastPathComponent
            let tsv = try String(contentsOf: Corpus.expectedDir.appendingPathComponent("records/\(name).records.tsv"),
                                 encoding: .utf8)
            let rows = tsv.split(separator: "\n", omittingEmptySubsequences: true).dropFirst()
                .filter { !$0.hasPrefix("#ERROR") }
                .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            let (records, _) = try EVTXFile(path: url.path).records()
            XCTAssertEqual(records.count, rows.count, name)
            var mismatches = 0
            for (r, row) in zip(records, rows) {
                let ref = row.map { $0 == "None" ? "" : $0 }
                let got = [String(r.recordID), r.value("EventID") ?? "", r.timeCreatedString,
                           r.value("Channel") ?? "", r.value("Provider_Name") ?? "", r.value("Computer") ?? ""]
                if got != Array(ref.prefix(6)) {
                    mismatches += 1
                    if mismatches <= 3 { XCTFail("\(name): \(got) != \(ref)") }
                }
            }
            XCTAssertEqual(mismatches, 0, name)
        }
    }
}
