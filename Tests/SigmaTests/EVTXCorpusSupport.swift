import EVTX
import Foundation
import XCTest
@testable import Sigma

/// Parses corpus EVTX files with the `EVTX` library and evaluates them as the sigma module does (through
/// `EVTXFieldMapping`), and reads the pySigma reference matches (`expected/sigma/matches.jsonl`).
enum EVTXCorpus {
    /// One rule match on one record, keyed as the reference keys it.
    struct Hit: Hashable, Comparable, CustomStringConvertible {
        var file: String          // relative to shared/corpus
        var eventRecordID: String // System/EventRecordID
        var ruleID: String

        var description: String { "\(file)#\(eventRecordID) \(ruleID)" }
        static func < (a: Hit, b: Hit) -> Bool { a.description < b.description }
    }

    private static var cachedRuleSet: SigmaRuleSet?

    /// All corpus rules at every level, loaded once for the test run.
    static func ruleSet() throws -> SigmaRuleSet {
        if let set = cachedRuleSet { return set }
        let set = SigmaRuleSet.load(directories: [CorpusPaths.sigmaRules], logsourceMapping: try CorpusPaths.mapping(),
                                    minimumLevel: .informational)
        cachedRuleSet = set
        return set
    }

    /// Every match of every rule on the records of `file` (relative to the corpus).
    static func hits(_ file: String, evaluator: SigmaEvaluator) throws -> [Hit] {
        let evtx = try EVTXFile(path: CorpusPaths.corpus + "/" + file)
        var out: [Hit] = []
        evtx.forEachRecord { record in
            let event = EVTXFieldMapping.sigmaEvent(record.fields.map { ($0.name, $0.value) })
            let id = record.value("EventRecordID") ?? String(record.recordID)
            for m in evaluator.match(event) { out.append(Hit(file: file, eventRecordID: id, ruleID: m.rule.id)) }
            return true
        }
        return out
    }

    /// Reference matches on files whose path starts with `prefix`.
    static func referenceHits(prefix: String) throws -> [Hit] {
        let text = try String(contentsOfFile: CorpusPaths.expected + "/matches.jsonl", encoding: .utf8)
        var out: [Hit] = []
        for line in text.split(separator: "\n") {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = o["file"] as? String, file.hasPrefix(prefix),
                  let id = o["event_record_id"] as? Int, let rule = o["rule_id"] as? String else { continue }
            out.append(Hit(file: file, eventRecordID: String(id), ruleID: rule))
        }
        return out
    }
}
