import TestSupport
import XCTest
@testable import IOCEngine

final class KeywordAndC2Tests: XCTestCase {
    func testKeywordsAreCaseSensitiveSubstringsWithTheirComment() throws {
        let set = try iocSet("my-keywords.txt", "# Mimikatz\nsekurlsa::logonpasswords\n# Tool\nab\n")
        XCTAssertEqual(set.keywords.match("cmd /c mimikatz sekurlsa::logonpasswords exit").map(\.description), ["Mimikatz"])
        XCTAssertEqual(set.keywords.match("SEKURLSA::LOGONPASSWORDS"), [])
        XCTAssertEqual(set.keywords.match("xaby").map(\.keyword), ["ab"], "keywords shorter than three bytes still match")
    }

    func testSignatureBaseKeywords() throws {
        var set = IOCSet()
        set.load(path: try BuildProducts.requireSignatureBase("iocs/keywords.txt"))
        XCTAssertEqual(set.keywords.keywords.count, 14)
        let hits = set.keywords.match("powershell -c \"Invoke-Mimikatz -Command privilege::debug\"")
        XCTAssertEqual(hits.map(\.keyword), ["privilege::debug", "Invoke-Mimikatz"])
        XCTAssertEqual(hits.map(\.description), ["Mimikatz", "Powershell Mimikatz https://adsecurity.org/?p=2604"])
    }

    func testC2DomainsIPsAndCIDRsWithBoundariesScoresAndMalformedLines() throws {
        let dir = try temporaryFolder()
        let file = try dir.write("case-c2-iocs.txt", """
            # Campaign X
            evil-c2.example
            198.51.100.7;80
            203.0.113.0/24
            2001:db8::dead
            a.b
            bad domain!.com
            10.0.0.0/33
            good.example;x
            """)
        let set = IOCSet(directories: [dir.path])
        XCTAssertEqual(set.diagnostics, [
            IOCDiagnostic(file: file, line: 6, message: "C2 value shorter than 4 characters: \"a.b\""),
            IOCDiagnostic(file: file, line: 7, message: "not a domain, IP address or CIDR range: \"bad domain!.com\""),
            IOCDiagnostic(file: file, line: 8, message: "not an IPv4 CIDR range: \"10.0.0.0/33\""),
            IOCDiagnostic(file: file, line: 9, message: "score is not an integer in -100...100: \"x\""),
        ])
        func values(_ s: String) -> [String] { set.c2.match(s).map(\.value) }
        XCTAssertEqual(values("GET http://WWW.Evil-C2.example/x"), ["evil-c2.example"])
        XCTAssertEqual(values("notevil-c2.example"), [])
        XCTAssertEqual(values("evil-c2.example.org"), [])
        XCTAssertEqual(values("evil-c2.example."), ["evil-c2.example"], "a trailing dot ends the name")
        XCTAssertEqual(values("dst=198.51.100.7:443"), ["198.51.100.7"])
        XCTAssertEqual(values("dst=198.51.100.71"), [])
        XCTAssertEqual(values("src 203.0.113.250 dst 8.8.8.8"), ["203.0.113.0/24"])
        XCTAssertEqual(values("[2001:DB8::DEAD]:53"), ["2001:db8::dead"])
        XCTAssertEqual(set.c2.match("198.51.100.7").map(\.score), [80])
        XCTAssertEqual(set.c2.match("evil-c2.example").map(\.description), ["Campaign X"])
        XCTAssertEqual(set.c2.match("evil-c2.example").map(\.score), [100])
    }

    func testSignatureBaseC2IOCs() throws {
        var set = IOCSet()
        set.load(path: try BuildProducts.requireSignatureBase("iocs/c2-iocs.txt"))
        XCTAssertEqual(set.diagnostics.map(\.description), [])
        XCTAssertEqual(set.c2.iocs.count, 1844)
    }
}
