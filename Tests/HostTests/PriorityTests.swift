import Foundation
import TestSupport
import XCTest

/// --lowprio (the default), --verylowprio, --lowioprio and --nolowprio: the priority the scan runs
/// with, as it reads it back from the system after lowering it.
final class PriorityTests: XCTestCase {
    private func lowered(_ flags: [String]) throws -> String? {
        let tree = try temporaryFolder("tree")
        try tree.write("a.txt", "nothing\n")
        let run = try Support.run(try Support.thorBinary(), ["-p", tree.path, "--nolog", "--modules", "", "--debug", "--nocolor",
                                                             "--nocpulimit", "--nodoublecheck"] + flags)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        return run.stdout.split(separator: "\n").first { $0.contains("MESSAGE: Priority lowered ") }
            .map { String($0.components(separatedBy: "MESSAGE: Priority lowered ").last!) }
    }

    func testEachFlagSetsItsPriority() throws {
        XCTAssertEqual(try lowered([]), "NICE: 10 IO: best-effort 7", "THOR lowers its priority by default")
        XCTAssertEqual(try lowered(["--lowprio"]), "NICE: 10 IO: best-effort 7")
        XCTAssertEqual(try lowered(["--verylowprio"]), "NICE: 19 IO: idle")
        XCTAssertEqual(try lowered(["--lowioprio"]), "NICE: 10 IO: idle")
        XCTAssertTrue(try XCTUnwrap(lowered(["--nolowprio", "--lowioprio"])).hasSuffix(" IO: idle"))
        XCTAssertNil(try lowered(["--nolowprio"]), "normal priority: nothing lowered")
    }

    func testContradictoryFlagsAreRefused() throws {
        let run = try Support.run(try Support.thorBinary(), ["-p", "/tmp", "--verylowprio", "--nolowprio"])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.contains("--lowprio, --verylowprio and --nolowprio exclude each other"), run.stderr)
    }
}
