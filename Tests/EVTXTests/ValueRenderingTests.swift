@testable import EVTX
import XCTest

/// The value types of BinXML substitutions, rendered as evtx-rs renders them.
final class ValueRenderingTests: XCTestCase {
    private func decode(_ type: UInt8, _ bytes: [UInt8]) throws -> SubstitutionValue {
        try bytes.withUnsafeBytes { try ValueDecoder.decode($0, type: type, start: 0, size: bytes.count) }
    }

    private func text(_ type: UInt8, _ bytes: [UInt8]) throws -> String {
        switch try decode(type, bytes) {
        case .text(let s), .time(let s, _): return s
        case .array(let a): return a.joined(separator: "|")
        case .null: return "<null>"
        case .binxml: return "<binxml>"
        }
    }

    private func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    private func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { le($0) } }

    func testIntegersAndHex() throws {
        XCTAssertEqual(try text(ValueType.int8, [0xFF]), "-1")
        XCTAssertEqual(try text(ValueType.uint8, [0xFF]), "255")
        XCTAssertEqual(try text(ValueType.int16, le(Int16(-300))), "-300")
        XCTAssertEqual(try text(ValueType.uint32, le(UInt32(4_000_000_000))), "4000000000")
        XCTAssertEqual(try text(ValueType.int64, le(Int64.min)), "-9223372036854775808")
        XCTAssertEqual(try text(ValueType.hexInt32, le(UInt32(0x3E7))), "0x3e7")
        XCTAssertEqual(try text(ValueType.hexInt64, le(UInt64(0x8020_0000_0000_0000))), "0x8020000000000000")
        XCTAssertEqual(try text(ValueType.hexInt64, le(UInt64(0))), "0x0")
        XCTAssertEqual(try text(ValueType.sizeT, le(UInt32(0x10))), "0x10")
        XCTAssertEqual(try text(ValueType.sizeT, le(UInt64(0xFFFF_FFFF_FFFF))), "0xffffffffffff")
        XCTAssertThrowsError(try text(ValueType.sizeT, [1, 2]))
    }

    func testBoolRealBinaryGuidSid() throws {
        XCTAssertEqual(try text(ValueType.bool, le(UInt32(0))), "false")
        XCTAssertEqual(try text(ValueType.bool, le(UInt32(1))), "true")
        XCTAssertEqual(try text(ValueType.bool, le(UInt32(16))), "16")
        XCTAssertEqual(try text(ValueType.real64, le(UInt64((2.5).bitPattern))), "2.5")
        XCTAssertEqual(try text(ValueType.real32, le(Float(3).bitPattern)), "3")
        XCTAssertEqual(try text(ValueType.binary, [0x00, 0xAB, 0x7F]), "00AB7F")
        XCTAssertEqual(try text(ValueType.binary, []), "")
        let guid: [UInt8] = [0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28, 0xC3, 0x0D]
        XCTAssertEqual(try text(ValueType.guid, guid), "54849625-5478-4994-A5BA-3E3B0328C30D")
        let sid: [UInt8] = [1, 2, 0, 0, 0, 0, 0, 5] + le(UInt32(32)) + le(UInt32(544))
        XCTAssertEqual(try text(ValueType.sid, sid), "S-1-5-32-544")
        XCTAssertThrowsError(try text(ValueType.sid, [1, 5, 0, 0, 0, 0, 0, 5]))  // 5 sub-authorities missing
    }

    func testStrings() throws {
        XCTAssertEqual(try text(ValueType.string, utf16("héllo") + [0, 0, 0x41, 0]), "héllo")  // cut at NUL
        XCTAssertEqual(try text(ValueType.string, utf16("𝄞x")), "𝄞x")
        XCTAssertEqual(try text(ValueType.string, le(UInt16(0xD800)) + utf16("a")), "a")     // lone surrogate dropped
        XCTAssertThrowsError(try text(ValueType.string, [0x41]))
        XCTAssertEqual(try text(ValueType.ansi, [0x41, 0, 0x80, 0xE9]), "A€é")
    }

    func testTimes() throws {
        XCTAssertEqual(try text(ValueType.filetime, le(UInt64(130_270_189_599_735_000))), "2013-10-23T16:22:39.973500Z")
        XCTAssertEqual(try text(ValueType.filetime, le(UInt64(0))), "1601-01-01T00:00:00.000000Z")
        XCTAssertThrowsError(try text(ValueType.filetime, le(UInt64.max)))
        let st: [UInt16] = [2017, 12, 2, 26, 13, 10, 29, 136]
        XCTAssertEqual(try text(ValueType.systemtime, st.flatMap { le($0) }), "2017-12-26T13:10:29.136000Z")
        XCTAssertEqual(try text(ValueType.systemtime, [UInt8](repeating: 0, count: 16)), "1601-01-01T00:00:00.000000Z")
        let feb30: [UInt16] = [2017, 2, 0, 30, 0, 0, 0, 0]
        XCTAssertThrowsError(try text(ValueType.systemtime, feb30.flatMap { le($0) }))
        XCTAssertEqual(WindowsTime.isoTrimmed(filetime: 130_270_189_599_735_000), "2013-10-23T16:22:39.9735Z")
        XCTAssertEqual(WindowsTime.isoTrimmed(filetime: 130_270_189_590_000_000), "2013-10-23T16:22:39Z")
    }

    func testArrays() throws {
        XCTAssertEqual(try text(ValueType.string | ValueType.array, utf16("a") + [0, 0] + utf16("bc") + [0, 0]), "a|bc")
        XCTAssertEqual(try text(ValueType.uint16 | ValueType.array, le(UInt16(1)) + le(UInt16(65535))), "1|65535")
        XCTAssertEqual(try text(ValueType.hexInt32 | ValueType.array, le(UInt32(255))), "0xff")
        XCTAssertThrowsError(try text(ValueType.uint32 | ValueType.array, [1, 2, 3]))  // not a multiple of 4
        let sid: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 5] + le(UInt32(18))
        XCTAssertEqual(try text(ValueType.sid | ValueType.array, sid + sid), "S-1-5-18|S-1-5-18")
    }

    func testNullUnknownAndBounds() throws {
        XCTAssertEqual(try text(ValueType.null, [1, 2, 3]), "<null>")
        XCTAssertEqual(try text(ValueType.binXML, []), "<null>")
        XCTAssertEqual(try text(ValueType.binXML, [0x0F, 1, 1, 0, 0]), "<binxml>")
        XCTAssertThrowsError(try text(0x20, [1, 2, 3, 4]))  // EvtHandle is not a stored type
        XCTAssertThrowsError(try text(ValueType.uint64, [1, 2, 3]))
        XCTAssertThrowsError(try [UInt8](repeating: 0, count: 4).withUnsafeBytes {
            try ValueDecoder.decode($0, type: ValueType.string, start: 2, size: 4)
        })
    }
}
