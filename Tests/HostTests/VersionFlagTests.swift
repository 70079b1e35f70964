import Host
import TestSupport
import XCTest

/// `thor --version`: the versions the real modules report, in THOR's order, and nothing else.
final class VersionFlagTests: XCTestCase {
    func testVersionPrintsWhatTheModulesReportAndExits() throws {
        let folder = try temporaryFolder()
        let rule = try folder.write("rules/one.yar", "rule one { condition: false }\n")
        // The newest signature file dates the set: one from 2030 outdates the shipped starter set.
        var times = [timeval(tv_sec: 1_893_553_445, tv_usec: 0), timeval(tv_sec: 1_893_553_445, tv_usec: 0)]
        XCTAssertEqual(utimes(rule, &times), 0)

        let run = try Support.runThor(["--version", "--yara-dir", folder.path + "/rules"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, run.stdout)
        guard lines.count == 7 else { return }
        XCTAssertEqual(lines[0], "THOR (open) scanner")
        XCTAssertEqual(lines[1], "Version \(ThorVersion.current)")
        XCTAssertNotNil(lines[2].range(of: #"^YARA \d+\.\d+\.\d+$"#, options: .regularExpression), lines[2])
        XCTAssertEqual(lines[3], "Signature Database 2030/01/02-030405")
        XCTAssertNotNil(lines[4].range(of: #"^Sigma Database \d{4}/\d\d/\d\d-\d{6}$"#, options: .regularExpression), lines[4])
        // The same libcrypto as this test process, which links the host.
        XCTAssertEqual(lines[5], ThorVersion.openSSL)
        XCTAssertTrue(lines[5].hasPrefix("OpenSSL "), lines[5])
        XCTAssertEqual(lines[6], "Modules archive 1.0.0, evtx 1.0.0, ioc 1.0.0, sigma 1.0.0, yara 1.0.0")
    }

    func testVersionNamesOnlyTheSelectedModulesAndRefusesUnknownOnes() throws {
        let run = try Support.runThor(["--version", "--modules", "ioc"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // No YARA and no Sigma: only the IOC module loaded, and it reports its signature set.
        XCTAssertEqual(lines.count, 5, run.stdout)
        XCTAssertEqual(lines.first, "THOR (open) scanner")
        XCTAssertTrue(lines.contains { $0.hasPrefix("Signature Database ") }, run.stdout)
        XCTAssertFalse(lines.contains { $0.hasPrefix("YARA ") || $0.hasPrefix("Sigma ") }, run.stdout)
        XCTAssertEqual(lines.last, "Modules ioc 1.0.0")

        let unknown = try Support.runThor(["--version", "--modules", "nope"])
        XCTAssertEqual(unknown.status, 3)
        XCTAssertTrue(unknown.stderr.contains("thor: error: unknown module(s): nope"), unknown.stderr)
    }
}
