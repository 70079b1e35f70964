import Foundation
import XCTest
@testable import Sigma

/// SigmaHQ's regression pairs: each rule must fire on the events SigmaHQ ships for it (as evtx-rs JSON).
final class RegressionPairTests: XCTestCase {
    struct Pair {
        var ruleID: String
        var title: String
        var ruleFile: String
        var eventJSON: [String]
        var referenceMatchCount: Int
    }

    static func pairs() throws -> [Pair] {
        let data = try Data(contentsOf: URL(fileURLWithPath: CorpusPaths.expected + "/regression.json"))
        let index = try Data(contentsOf: URL(fileURLWithPath: CorpusPaths.expected + "/regression_index.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        let entries = try JSONSerialization.jsonObject(with: index) as? [[String: Any]] ?? []
        var countByRule: [String: Int] = [:]
        for r in reference { countByRule[r["rule_id"] as? String ?? ""] = r["match_count"] as? Int ?? -1 }
        return entries.map { e in
            let id = e["rule_id"] as? String ?? ""
            return Pair(ruleID: id, title: e["title"] as? String ?? "", ruleFile: e["rule_file"] as? String ?? "",
                        eventJSON: e["event_json"] as? [String] ?? [], referenceMatchCount: countByRule[id] ?? -1)
        }
    }

    func testEveryRegressionPairFiresOnItsEventJSON() throws {
        try CorpusPaths.requireCorpus()
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping(),
                                    minimumLevel: .informational)
        let evaluator = set.makeEvaluator()
        let pairs = try RegressionPairTests.pairs()
        XCTAssertEqual(pairs.count, 146)
        var fired = 0
        var countAgrees = 0
        for pair in pairs {
            var hits = 0
            for file in pair.eventJSON {
                for record in try EvtxJSONEvent.records(fromFile: CorpusPaths.corpus + "/" + file) {
                    let matches = evaluator.match(EvtxJSONEvent.flatten(record))
                    hits += matches.filter { $0.rule.id == pair.ruleID }.count
                }
            }
            if hits > 0 { fired += 1 } else { print("NOT FIRED: \(pair.title) (\(pair.ruleFile))") }
            if hits == pair.referenceMatchCount { countAgrees += 1 } else {
                print("COUNT: \(pair.title): \(hits) vs pySigma \(pair.referenceMatchCount)")
            }
        }
        XCTAssertEqual(fired, 146)
        // pySigma counts matches over the whole .evtx; the shipped JSON holds the same records.
        XCTAssertEqual(countAgrees, 146)
    }
}

/// Every match (any rule, not only the pair's) on the regression events equals pySigma's reference.
final class RegressionReferenceTests: XCTestCase {
    func testAllMatchesOnRegressionEventsEqualThePySigmaReference() throws {
        try CorpusPaths.requireCorpus()
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping(),
                                    minimumLevel: .informational)
        let evaluator = set.makeEvaluator()
        let index = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: CorpusPaths.expected + "/regression_index.json"))) as? [[String: Any]] ?? []
        var ours = Set<String>()
        for entry in index {
            let evtx = (entry["evtx"] as? [[String: Any]])?.first?["file"] as? String ?? ""
            for file in entry["event_json"] as? [String] ?? [] {
                for record in try EvtxJSONEvent.records(fromFile: CorpusPaths.corpus + "/" + file) {
                    let event = EvtxJSONEvent.flatten(record)
                    let recordID = event.fields.first { $0.name == "EventRecordID" }?.value ?? "?"
                    for m in evaluator.match(event) { ours.insert("\(evtx)|\(recordID)|\(m.rule.id)") }
                }
            }
        }
        var reference = Set<String>()
        let lines = try String(contentsOfFile: CorpusPaths.expected + "/matches.jsonl", encoding: .utf8).split(separator: "\n")
        for line in lines {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = o["file"] as? String, file.hasPrefix("sigma/regression_data/") else { continue }
            reference.insert("\(file)|\(o["event_record_id"] ?? "")|\(o["rule_id"] ?? "")")
        }
        XCTAssertEqual(reference.count, 200)
        XCTAssertEqual(ours.subtracting(reference).sorted(), [])
        XCTAssertEqual(reference.subtracting(ours).sorted(), [])
    }
}
