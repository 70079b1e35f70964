import TestSupport
import XCTest
@testable import Host

final class FileTypeTests: XCTestCase {
    func testLongestPrefixWinsAndCommentsAreSkipped() throws {
        let table = try FileTypeSignatures(text: "# comment\n\nFF D8 FF;JPEG\nFF D8 FF E0;JFIF\n4D 5A;EXE\n")
        XCTAssertEqual(table.prefixLength, 4)
        XCTAssertEqual([UInt8]([0xFF, 0xD8, 0xFF, 0xE0, 0]).withUnsafeBytes { table.type(of: $0) }, "JFIF")
        XCTAssertEqual([UInt8]([0xFF, 0xD8, 0xFF, 0xDB]).withUnsafeBytes { table.type(of: $0) }, "JPEG")
        XCTAssertEqual(Array("MZ\u{90}".utf8).withUnsafeBytes { table.type(of: $0) }, "EXE")
        XCTAssertNil([UInt8]([0x4D]).withUnsafeBytes { table.type(of: $0) })
    }

    func testMalformedLinesAreReportedWithTheirNumber() {
        XCTAssertThrowsError(try FileTypeSignatures(text: "4D 5A;EXE\nZZ;Bad\n")) { error in
            XCTAssertEqual("\(error)", "file-type signature line 2: 'ZZ' is not a hex byte")
        }
        XCTAssertThrowsError(try FileTypeSignatures(text: "4D 5A EXE\n")) { error in
            XCTAssertEqual("\(error)", "file-type signature line 1: expected 'HEX BYTES;Type'")
        }
    }

    func testShippedTableTypesTheFormatsParsersNeed() throws {
        let text = try String(contentsOfFile: BuildProducts.packageRoot + "/Signatures/misc/file-type-signatures.txt", encoding: .utf8)
        let table = try FileTypeSignatures(text: text)
        XCTAssertEqual(Array("ElfFile\0\0\0".utf8).withUnsafeBytes { table.type(of: $0) }, "EVTX")
        XCTAssertEqual(Array("regf\u{1}".utf8).withUnsafeBytes { table.type(of: $0) }, "REGF")
        XCTAssertEqual([UInt8]([0x4D, 0x44, 0x4D, 0x50, 0x93, 0xA7]).withUnsafeBytes { table.type(of: $0) }, "MDMP")
        XCTAssertEqual([UInt8]([0x7F, 0x45, 0x4C, 0x46, 2]).withUnsafeBytes { table.type(of: $0) }, "ELF")
    }

    func testContentGate() {
        XCTAssertTrue(ScanGate.passes(extension: ".ps1", magicType: nil))
        XCTAssertTrue(ScanGate.passes(extension: ".jpg", magicType: "EXE"))
        XCTAssertFalse(ScanGate.passes(extension: ".jpg", magicType: nil))
        XCTAssertFalse(ScanGate.passes(extension: "", magicType: nil))
    }
}

final class TypeTagTests: XCTestCase {
    func testMagicTypeFirstThenExtension() {
        XCTAssertEqual(FileFields.typeTags(magicType: "EVTX", extension: ".evtx"), ["EVTX"])
        XCTAssertEqual(FileFields.typeTags(magicType: "EVTX", extension: ".bin"), ["EVTX", "BIN"])
        XCTAssertEqual(FileFields.typeTags(magicType: nil, extension: ".evtx"), ["EVTX"])
        XCTAssertEqual(FileFields.typeTags(magicType: nil, extension: ""), [])
    }

    func testExtensionsIgnoreLeadingDots() {
        XCTAssertEqual(FileFields.fileExtension(of: "/a/b.Tar.GZ"), ".gz")
        XCTAssertEqual(FileFields.fileExtension(of: "/home/u/.bashrc"), "")
        XCTAssertEqual(FileFields.fileExtension(of: "/x/..x"), "")
        XCTAssertEqual(FileFields.fileExtension(of: "/x/noext"), "")
        XCTAssertEqual(FileFields.fileExtension(of: "/x.d/file"), "")
    }
}
