import EVTX
import Foundation
import XCTest
@testable import Sigma

/// SigmaHQ's regression pairs, this time from the .evtx files parsed by our `EVTX` library.
final class RegressionEVTXTests: XCTestCase {
    func testEveryRegressionPairFiresOnItsOwnEVTX() throws {
        try CorpusPaths.requireCorpus()
        let evaluator = try EVTXCorpus.ruleSet().makeEvaluator()
        let index = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: CorpusPaths.expected + "/regression_index.json"))) as? [[String: Any]] ?? []
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: CorpusPaths.expected + "/regression.json"))) as? [[String: Any]] ?? []
        var referenceCount: [String: Int] = [:]
        for r in reference { referenceCount[r["rule_id"] as? String ?? ""] = r["match_count"] as? Int }
        XCTAssertEqual(index.count, 146)
        var fired = 0, countsEqual = 0
        var all: [EVTXCorpus.Hit] = []
        for entry in index {
            let rule = entry["rule_id"] as? String ?? ""
            var own = 0
            for evtx in entry["evtx"] as? [[String: Any]] ?? [] {
                let hits = try EVTXCorpus.hits(evtx["file"] as? String ?? "", evaluator: evaluator)
                own += hits.filter { $0.ruleID == rule }.count
                all += hits
            }
            if own > 0 { fired += 1 } else { print("NOT FIRED: \(entry["title"] ?? "") \(rule)") }
            if own == referenceCount[rule] { countsEqual += 1 } else {
                print("COUNT: \(entry["title"] ?? ""): \(own) vs pySigma \(referenceCount[rule] ?? -1)")
            }
        }
        XCTAssertEqual(fired, 146)
        XCTAssertEqual(countsEqual, 146)
        let ours = Set(all)
        let expected = Set(try EVTXCorpus.referenceHits(prefix: "sigma/regression_data/"))
        XCTAssertEqual(expected.count, 200)
        XCTAssertEqual(ours.count, all.count)
        XCTAssertEqual(ours.subtracting(expected).sorted(), [])
        XCTAssertEqual(expected.subtracting(ours).sorted(), [])
    }
}
