import TestSupport
import XCTest

/// Children go through the same pipeline, within the depth budget.
final class ChildObjectTests: XCTestCase {
    func testDepthBudgetEndsEndlessNesting() throws {
        let plugins = try temporaryFolder("plugins").path
        try CModule.build(text: CraftedModules.recursive, named: "recurse", into: plugins)
        let tree = try temporaryFolder("tree").path
        try "RECURSE me".write(toFile: tree + "/nest.txt", atomically: false, encoding: .utf8)
        for depth in [4, 2] {
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "recurse", "-p", tree, "--nolog",
                                           "--max-recursion-depth", String(depth)])
            XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
            let findings = run.stdout.split(separator: "\n").filter { $0.contains("RULENAME_1: RECURSE_Depth") }
            // The file itself and one child per level.
            XCTAssertEqual(findings.count, depth + 1, run.stdout)
            let deepest = tree + "/nest.txt" + String(repeating: "|inner", count: depth)
            XCTAssertTrue(findings.contains { $0.contains("FILE: \(deepest) ") }, run.stdout)
            XCTAssertTrue(run.stdout.contains("MESSAGE: Child objects dropped: depth limit \(depth) reached FILE: \(deepest)\n"), run.stdout)
        }
    }
}
