import XCTest
@testable import Sigma

final class CorpusRuleLoadingTests: XCTestCase {
    func testAllCorpusRulesLoadAndEverySkipIsExplained() throws {
        try CorpusPaths.requireCorpus()
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping(),
                                    minimumLevel: .informational)
        // Every one of the 868 rules compiles: the corpus has no correlation rules, placeholders or
        // unknown modifiers, and every log source is in config/sigma.yml.
        XCTAssertEqual(set.rules.count, 868)
        XCTAssertEqual(set.skipped, [])
        var byLevel: [SigmaLevel: Int] = [:]
        for r in set.rules { byLevel[r.level, default: 0] += 1 }
        XCTAssertEqual(byLevel, [.informational: 8, .low: 69, .medium: 341, .high: 426, .critical: 24])
    }

    func testDefaultMinimumLevelHighKeepsHighAndCritical() throws {
        try CorpusPaths.requireCorpus()
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping())
        XCTAssertEqual(set.rules.count, 450)
        XCTAssertEqual(set.belowMinimumLevel, 418)
    }
}
