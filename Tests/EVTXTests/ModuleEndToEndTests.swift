import Foundation
import TestSupport
import XCTest

/// The evtx module inside the real host: `thor` and `libthor-evtx.so` from this build.
final class ModuleEndToEndTests: XCTestCase {
    private let buildDir = BuildProducts.buildDir

    private func runThor(_ args: [String]) throws -> (status: Int32, output: String) {
        let run = try ChildProcess.run(try BuildProducts.thor(with: ["libthor-evtx.so"]), args, mergeOutput: true)
        return (run.status, run.stdout)
    }

    func testEVTXFilesByMagicBecomeEventsWithASummary() throws {
        try Corpus.requireCorpus()
        let tree = URL(fileURLWithPath: try temporaryFolder("evtx-e2e-tree").path)
        let out = URL(fileURLWithPath: try temporaryFolder("evtx-e2e-out").path)
        let renamed = tree.appendingPathComponent("renamed.bin")
        try FileManager.default.copyItem(at: try Corpus.url("new-user-security.evtx"), to: renamed)
        let truncated = tree.appendingPathComponent("cut.evtx")
        try Data(try Data(contentsOf: try Corpus.url("system.evtx")).prefix(5000)).write(to: truncated)

        let all = try runThor(["--plugin-dir", buildDir, "--modules", "evtx", "-p", tree.path, "-e", out.path])
        XCTAssertEqual(all.status, 0, all.output)
        XCTAssertTrue(all.output.contains("MODULE: evtx SCANID: "), all.output)
        XCTAssertTrue(all.output.contains("EVTX file \(renamed.path): records: 4, chunks: 1, chunks skipped: 0, records skipped: 0, events emitted: 4 "), all.output)
        XCTAssertTrue(all.output.contains("EVTX file \(truncated.path): records: 0, chunks: 1, "), all.output)
        XCTAssertTrue(all.output.contains("extends past the end of the file"), all.output)

        let recent = try runThor(["--plugin-dir", buildDir, "--modules", "evtx", "--lookback", "1", "-p", tree.path, "-e", out.path])
        XCTAssertTrue(recent.output.contains("events emitted: 0, older than 1 days: 4 "), recent.output)
    }
}
