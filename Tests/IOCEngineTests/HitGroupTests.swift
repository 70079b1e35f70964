import TestSupport
import XCTest
@testable import IOCEngine

/// How a record's keyword hits become one group (one finding) per keyword, as the ioc module does it.
final class HitGroupTests: XCTestCase {
    func testOneGroupPerIOCInFirstSeenOrderWithItsFieldsInOrder() throws {
        let set = try iocSet("x-keywords.txt", "alpha\nbeta\ngamma\n")
        let record = [("CommandLine", "run beta then alpha"), ("Image", "gamma.exe"), ("Parent", "beta"), ("User", "none")]
        var hits = IOCHitGroups()
        for (key, value) in record { hits.add(set.keywords.matchIndices(ScanText(value)), key: key, value: value) }
        // Within one field the keywords come in file order (alpha before beta); across fields, first seen first.
        XCTAssertEqual(hits.groups.map { set.keywords.keywords[$0.ioc].keyword }, ["alpha", "beta", "gamma"])
        XCTAssertEqual(hits.groups.map { $0.fields.map(\.key) }, [["CommandLine"], ["CommandLine", "Parent"], ["Image"]])
        XCTAssertEqual(hits.groups[1].fields.map(\.value), ["run beta then alpha", "beta"])
    }

    func testMatchIndicesNameTheSameIOCsAsMatch() throws {
        let set = try iocSet("x-c2-iocs.txt", "evil-c2.example\n198.51.100.7\n203.0.113.0/24\n")
        let text = ScanText("203.0.113.9 -> www.evil-c2.example")
        XCTAssertEqual(set.c2.matchIndices(text), [0, 2])
        XCTAssertEqual(set.c2.match(text).map(\.value), ["evil-c2.example", "203.0.113.0/24"])
    }
}
