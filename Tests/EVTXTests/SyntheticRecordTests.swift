@testable import EVTX
import XCTest

/// Exact BinXML shapes built by hand (see SyntheticEVTX).
final class SyntheticRecordTests: XCTestCase {
    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func utf16z(_ s: String) -> [UInt8] { s.utf16.flatMap { le16($0) } + [0, 0] }

    private func parse(_ bytes: [UInt8]) throws -> ([EventRecord], EVTXDiagnostics) {
        try EVTXFile(bytes: bytes).records()
    }

    /// System attributes and a FILETIME TimeCreated, EventData with a string array that
    /// repeats its element (MS-EVEN6 array substitution), an optional empty substitution.
    func testSystemAttributesArraysAndOptionalValues() throws {
        let binxml = SyntheticEVTX.record(template: { t in
            t.open("Event"); t.u8(0x02)
            t.open("System"); t.u8(0x02)
            t.open("Provider", attributes: true); t.u8(0x06); t.name("Name"); t.substitution(0, type: 0x01); t.u8(0x03)
            t.open("TimeCreated", attributes: true); t.u8(0x06); t.name("SystemTime"); t.substitution(1, type: 0x11); t.u8(0x03)
            t.open("Correlation", attributes: true); t.u8(0x06); t.name("ActivityID"); t.substitution(3, type: 0x0F, optional: true); t.u8(0x03)
            t.u8(0x04)
            t.open("EventData"); t.u8(0x02)
            t.open("Data"); t.u8(0x02); t.substitution(2, type: 0x81); t.u8(0x04)
            t.u8(0x04)
            t.u8(0x04)
        }, values: [(0x01, Array(utf16z("Prov").dropLast(2))),
                    (0x11, withUnsafeBytes(of: UInt64(130_270_189_599_735_000).littleEndian) { Array($0) }),
                    (0x81, utf16z("a") + utf16z("bc")),
                    (0x00, [])])
        let (records, d) = try parse(SyntheticEVTX.file(binxml: binxml))
        XCTAssertEqual(d.recordsSkipped.map(\.reason), [])
        let r = try XCTUnwrap(records.first)
        XCTAssertEqual(r.fields, [EventField(name: "Provider_Name", value: "Prov"),
                                  EventField(name: "TimeCreated", value: "2013-10-23T16:22:39.973500Z"),
                                  EventField(name: "Data", value: "a"),
                                  EventField(name: "Data_1", value: "bc")])
        XCTAssertEqual(r.timeCreated, 130_270_189_599_735_000)
        XCTAssertEqual(r.recordID, 7)
        XCTAssertEqual(r.renderText(), "Provider_Name: Prov  TimeCreated: 2013-10-23T16:22:39.973500Z  Data: a  Data_1: bc")
    }

    /// A substitution holding nested BinXML (elements of its own) is spliced in place.
    func testNestedBinXMLInASubstitution() throws {
        func nested(at base: Int) -> [UInt8] {
            var n = SyntheticEVTX.Writer(base: base)
            n.bytes += [0x0F, 1, 1, 0]
            n.open("Leaf", inTemplate: false); n.u8(0x02)
            n.bytes += [0x05, 0x01, 2, 0, 0x68, 0, 0x69, 0]
            n.u8(0x04); n.u8(0x00)
            return n.bytes
        }
        func record(_ value: [UInt8]) -> [UInt8] {
            SyntheticEVTX.record(template: { t in
                t.open("Event"); t.u8(0x02)
                t.open("UserData"); t.u8(0x02); t.substitution(0, type: 0x21)
                t.open("Leaf"); t.u8(0x02); t.u8(0x04)
                t.u8(0x04)
                t.u8(0x04)
            }, values: [(0x21, value)])
        }
        // The value is the last thing before the final EOF; its names are defined in place.
        let size = nested(at: 0).count
        let valueOffset = 536 + record(nested(at: 0)).count - 1 - size
        let (records, d) = try parse(SyntheticEVTX.file(binxml: record(nested(at: valueOffset))))
        XCTAssertEqual(d.recordsSkipped.map(\.reason), [])
        XCTAssertEqual(records.first?.fields, [EventField(name: "Leaf", value: "hi"), EventField(name: "Leaf_1", value: "")])
    }

    /// A template naming one nested BinXML value thousands of times hits the budget: the
    /// record is skipped with a reason instead of expanding without bound.
    func testExpansionBudget() throws {
        let value: [UInt8] = [0x0F, 1, 1, 0] + [UInt8](repeating: 0x0F, count: 4000) + [0x00]
        let binxml = SyntheticEVTX.record(template: { t in
            t.open("Event"); t.u8(0x02)
            for _ in 0..<5000 { t.substitution(0, type: 0x21) }
            t.u8(0x04)
        }, values: [(0x21, Array(value.prefix(4000)))])
        let start = Date()
        let (records, d) = try parse(SyntheticEVTX.file(binxml: binxml))
        XCTAssertEqual(records.count, 0)
        XCTAssertEqual(d.recordsSkipped.map(\.reason), ["record 7: limit reached: record expands to too many nodes"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }
}

/// Text built from pieces that other writes interleave (attribute values after the start tag)
/// is joined once when its element closes: no quadratic copying, the full text comes out.
final class InterleavedTextTests: XCTestCase {
    func testInterleavedTextIsJoinedOnce() throws {
        let value = (0..<4000).map { $0 % 2 == 0 ? UInt8(ascii: "a") : 0 }  // 2000 x "a" in UTF-16
        let binxml = SyntheticEVTX.record(template: { t in
            t.open("Event"); t.u8(0x02)
            var a: UInt32 = 0
            for i in 0..<200 {
                // The first attribute defines its name in place; later ones point at it.
                t.u8(0x06)
                if i == 0 { a = t.name("A") } else { t.u32(a) }
                t.substitution(0, type: 0x01)
                t.substitution(0, type: 0x01)  // joined, so written after the element's text
                t.u8(0x02)
                t.substitution(0, type: 0x01)
            }
            t.u8(0x04)
        }, values: [(0x01, value)])
        let start = Date()
        let (records, d) = try EVTXFile(bytes: SyntheticEVTX.file(binxml: binxml)).records()
        XCTAssertEqual(d.recordsSkipped.map(\.reason), [])
        XCTAssertEqual(records.first?.fields, [EventField(name: "Event", value: String(repeating: "a", count: 400_000))])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }
}
