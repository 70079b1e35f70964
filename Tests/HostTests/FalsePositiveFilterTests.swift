import Foundation
@testable import Host
import TestSupport
import XCTest

/// `config/false_positive_filters.cfg`: an event whose text matches a pattern is neither written
/// nor counted, and the end of the scan says how many were dropped.
final class FalsePositiveFilterTests: XCTestCase {
    func testMatchingFindingsAreDroppedAndCounted() throws {
        let (options, program, config) = try setUpScan()
        try "# the admin's own script\n\nFILE: .*/tools/run\\.ps1 \n".write(toFile: config + "/false_positive_filters.cfg", atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scan(options: options, program: program).run(), .findings)
        let lines = try ScanLog.lines(in: options.outputDirectory, suffix: ".txt")
        XCTAssertFalse(lines.contains { $0.contains("run.ps1") }, "\(lines)")
        XCTAssertEqual(lines.filter { $0.contains("MESSAGE: Malware file found FILE: ") && $0.contains("/notes.txt ") }.count, 1)
        XCTAssertTrue(lines.contains { $0.hasSuffix("MESSAGE: False-positive filters applied FILE: \(config)/false_positive_filters.cfg DROPPED: 1") }, "\(lines)")
        XCTAssertTrue(try XCTUnwrap(lines.last).contains(" ALERTS: 1 WARNINGS: 0 "), "\(lines.last ?? "")")
    }

    func testWithoutTheFileEveryFindingIsReported() throws {
        let (options, program, _) = try setUpScan()
        XCTAssertEqual(try Scan(options: options, program: program).run(), .findings)
        let lines = try ScanLog.lines(in: options.outputDirectory, suffix: ".txt")
        XCTAssertFalse(lines.contains { $0.contains("False-positive filters") })
        XCTAssertTrue(try XCTUnwrap(lines.last).contains(" ALERTS: 1 WARNINGS: 1 "), "\(lines.last ?? "")")
    }

    func testABadPatternStopsTheStartNamingTheFile() throws {
        let (options, program, config) = try setUpScan()
        try "ok\n(unclosed\n".write(toFile: config + "/false_positive_filters.cfg", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Scan(options: options, program: program)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(config)/false_positive_filters.cfg: false-positive filter '(unclosed': "), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: options.outputDirectory), [], "no log left behind")
    }

    /// A program folder of its own (for its config/), the example module in this process, a tree
    /// with one Alert (notes.txt) and one Warning (tools/run.ps1).
    private func setUpScan() throws -> (ScanOptions, ProgramFolder, String) {
        let program = try temporaryFolder("program").path
        let config = program + "/config"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        let tree = try temporaryFolder("tree")
        try tree.write("tools/run.ps1", "powershell Invoke-Mimikatz -DumpCreds\n")
        try tree.write("notes.txt", "mimikatz # sekurlsa::logonpasswords\n")
        return (try exampleModuleScanOptions(tree: tree.path), ProgramFolder(executablePath: program + "/thor"), config)
    }
}
