import EVTX
import Foundation
import XCTest

/// Every field of every record of the three fully dumped files (expected/evtx/full/*.jsonl,
/// evtx-rs's JSON) equals this parser's fields after this normalisation of formatting only:
/// - evtx-rs nests `System` children with `#attributes`/`#text`; flattened here to `X` (text)
///   and `X_Attr` (attributes), with `TimeCreated/@SystemTime` as `TimeCreated`.
/// - EventData `<Data Name="X">` is already a key `X` in evtx-rs; unnamed `Data` lists become
///   `Data`, `Data_1`, ...; JSON numbers and booleans become their text; null becomes "".
/// - Repeated names get `_1`, `_2`, ... in document order; `xmlns` attributes are dropped.
/// - The record header time: evtx-rs appends " UTC".
final class CorpusFullDumpTests: XCTestCase {
    func testFullDumpsMatchFieldByField() throws {
        for name in ["new-user-security.evtx", "Powershell_4104_MiniDumpWriteDump_Lsass.evtx",
                     "WinDefender_Events_1117_1116_AtomicRedTeam.evtx"] {
            let (records, diag) = try Corpus.parse(name)
            let lines = try String(contentsOf: Corpus.expectedDir.appendingPathComponent("full/\(name).jsonl"), encoding: .utf8)
                .split(separator: "\n")
            XCTAssertEqual(records.count, lines.count, name)
            XCTAssertEqual(diag.recordsSkippedCount, 0, name)
            for (r, line) in zip(records, lines) {
                let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                XCTAssertEqual(String(r.recordID), referenceText(obj["event_record_id"]), name)
                XCTAssertEqual(r.writtenTimeString + " UTC", referenceText(obj["timestamp"]), name)
                let event = try XCTUnwrap((obj["data"] as? [String: Any])?["Event"] as? [String: Any])
                let expected = ReferenceFlattener.flatten(event, line: String(line))
                XCTAssertEqual(r.fields.map(\.name), expected.map(\.name), "\(name) record \(r.recordID) names")
                XCTAssertEqual(r.fields, expected, "\(name) record \(r.recordID)")
            }
        }
    }

    func testSecurityRecordFieldsExactly() throws {
        let (records, _) = try Corpus.parse("new-user-security.evtx")
        let r = try XCTUnwrap(records.first)
        XCTAssertEqual(r.value("EventID"), "4728")
        XCTAssertEqual(r.value("Provider_Guid"), "54849625-5478-4994-A5BA-3E3B0328C30D")
        XCTAssertEqual(r.value("Keywords"), "0x8020000000000000")
        XCTAssertEqual(r.value("Execution_ProcessID"), "508")
        XCTAssertEqual(r.value("MemberSid"), "S-1-5-21-3463664321-2923530833-3546627382-1000")
        XCTAssertEqual(r.value("SubjectLogonId"), "0x3e7")
        XCTAssertEqual(r.timeCreated, 130_270_189_599_735_000)
        XCTAssertTrue(r.renderText().hasPrefix(
            "Provider_Name: Microsoft-Windows-Security-Auditing  Provider_Guid: 54849625-5478-4994-A5BA-3E3B0328C30D  EventID: 4728  "))
        XCTAssertTrue(r.renderJSON().hasPrefix(
            #"{"Provider_Name":"Microsoft-Windows-Security-Auditing","Provider_Guid":"54849625-5478-4994-A5BA-3E3B0328C30D","EventID":"4728","#))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(records[1].renderJSON().utf8)) as? [String: String])
        XCTAssertEqual(json["UserAccountControl"], "\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084")
        XCTAssertEqual(json.count, records[1].fields.count)
    }
}

/// Turns evtx-rs's JSON shape of one event into flat fields (see CorpusFullDumpTests).
/// JSONSerialization loses key order, so keys are ordered by their position in the line.
enum ReferenceFlattener {
    static func flatten(_ event: [String: Any], line: String) -> [EventField] {
        var out: [EventField] = []
        func add(_ key: String, _ value: String) {
            var name = key
            var n = 1
            while out.contains(where: { $0.name == name }) { name = "\(key)_\(n)"; n += 1 }
            out.append(EventField(name: name, value: value))
        }
        func ordered(_ d: [String: Any]) -> [(String, Any)] {
            d.map { ($0.key, $0.value) }.sorted { position(of: $0.0, in: line) < position(of: $1.0, in: line) }
        }
        func flattenData(_ d: [String: Any]) {
            for (k, v) in ordered(d) where k != "#attributes" {
                if let sub = v as? [String: Any] {
                    for (a, av) in ordered(sub["#attributes"] as? [String: Any] ?? [:]) where !a.hasPrefix("xmlns") {
                        add("\(k)_\(a)", referenceText(av))
                    }
                    if let list = sub["#text"] as? [Any] { list.forEach { add(k, referenceText($0)) } }
                    else if let t = sub["#text"] { add(k, referenceText(t)) }
                    else { flattenData(sub) }
                } else {
                    add(k, referenceText(v))
                }
            }
        }
        if let system = event["System"] as? [String: Any] {
            for (k, v) in ordered(system) {
                if let sub = v as? [String: Any] {
                    for (a, av) in ordered(sub["#attributes"] as? [String: Any] ?? [:]) {
                        add(k == "TimeCreated" && a == "SystemTime" ? "TimeCreated" : "\(k)_\(a)", referenceText(av))
                    }
                    if let t = sub["#text"] { add(k, referenceText(t)) }
                } else if !(v is NSNull) {
                    add(k, referenceText(v))
                }
            }
        }
        for (section, v) in ordered(event) where section != "System" && section != "#attributes" {
            if let d = v as? [String: Any] { flattenData(d) } else if !(v is NSNull) { add(section, referenceText(v)) }
        }
        return out
    }

    /// Position of `"key":` in the line: good enough to restore document order of keys.
    private static func position(of key: String, in line: String) -> Int {
        guard let r = line.range(of: "\"\(key)\":") else { return Int.max }
        return line.utf8.distance(from: line.startIndex, to: r.lowerBound)
    }
}
