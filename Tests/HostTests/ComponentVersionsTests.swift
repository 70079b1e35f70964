import XCTest
@testable import Host

/// What the host keeps of the versions modules report: the newest per component.
final class ComponentVersionsTests: XCTestCase {
    func testDottedNumbersCompareAsVersionsAndDatesAsText() {
        var versions = ComponentVersions()
        versions.add("yara", "4.9.3")
        versions.add("yara", "4.10.0")
        versions.add("yara", "4.2")
        versions.add("signatures", "2026/11/29-101500")
        versions.add("signatures", "2025/12/31-235959")
        versions.add("signatures", "2026/11/29-101501")
        XCTAssertEqual(versions["yara"], "4.10.0")
        XCTAssertEqual(versions["signatures"], "2026/11/29-101501")
        XCTAssertNil(versions["sigma"])
        XCTAssertEqual(versions.pairs.map(\.key), ["signatures", "yara"])
    }

    func testMergeKeepsTheNewestOfEither() {
        var a = ComponentVersions(), b = ComponentVersions()
        a.add("yara", "4.2.3")
        a.add("sigma", "2026/01/01-000000")
        b.add("yara", "4.5.0")
        b.add("sigma", "2025/01/01-000000")
        a.merge(b)
        XCTAssertEqual(a.byComponent, ["yara": "4.5.0", "sigma": "2026/01/01-000000"])
    }
}
