import XCTest
@testable import Sigma

final class CorpusRuleLoadingTests: XCTestCase {
    func testAllCorpusRulesLoadAndEverySkipIsExplained() throws {
        try CorpusPaths.requireCorpus()
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping(),
                                    minimumLevel: .informational)
        for s in set.skipped { print("SKIP \(s.file): \(s.reason)") }
        print("loaded \(set.rules.count) skipped \(set.skipped.count)")
        XCTAssertEqual(set.rules.count + set.skipped.count, 868)
    }
}
