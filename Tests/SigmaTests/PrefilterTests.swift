import XCTest
@testable import Sigma

/// The literal prefilter: Aho-Corasick finds every literal, and requirements are necessary conditions.
final class PrefilterTests: XCTestCase {
    func testAhoCorasickReportsEveryOccurrenceIncludingOverlaps() {
        let ac = AhoCorasick(["he", "she", "his", "hers"].map { Array($0.utf8) })
        var hits: [Int32] = []
        ac.scan(Array("ushers".utf8)) { hits.append($0) }
        XCTAssertEqual(hits.sorted(), [0, 1, 3])  // she, he, hers
        hits = []
        ac.scan(Array("xyz".utf8)) { hits.append($0) }
        XCTAssertEqual(hits, [])
    }

    private func requirement(_ detection: String) throws -> [String]? {
        let set = try SigmaTestSupport.set(detection)
        return set.variants[0].requirement.map { $0.map { "\($0.slot == LiteralPrefilter.anyField ? "*" : set.fieldTable.names[$0.slot])=\(String(decoding: $0.literal, as: UTF8.self))" } }
    }

    func testRequirementsFollowTheConditionLogic() throws {
        // AND: one selection's literals suffice; the longer literal is chosen.
        XCTAssertEqual(try requirement("a:\n    Image|endswith: '\\x.exe'\nb:\n    CommandLine|contains: 'longer literal'\ncondition: a and b"),
                       ["CommandLine=longer literal"])
        // OR: both sides must contribute.
        XCTAssertEqual(try requirement("a:\n    Image|endswith: '\\X.exe'\nb:\n    CommandLine|contains: 'y'\ncondition: a or b"),
                       ["Image=\\x.exe", "CommandLine=y"])
        // A side without literals (a number, a regex, a negation) leaves an OR unconstrained.
        XCTAssertNil(try requirement("a:\n    Image|endswith: '\\x.exe'\nb:\n    EventID: 4\ncondition: a or b"))
        XCTAssertNil(try requirement("a:\n    Image|endswith: '\\x.exe'\ncondition: not a"))
        // `all` needs every value, so one (the longest shortest) is enough; wildcards split literals.
        XCTAssertEqual(try requirement("a:\n    CommandLine|contains|all:\n        - 'ab'\n        - 'c*defg'\ncondition: a"),
                       ["CommandLine=defg"])
        // windash breaks the literal at the dash.
        XCTAssertEqual(try requirement("a:\n    CommandLine|windash|contains: ' -encodedcommand'\ncondition: a"),
                       ["CommandLine=encodedcommand"])
        // Keywords may occur in any field.
        XCTAssertEqual(try requirement("k:\n    - 'mimikatz'\n    - 'sekurlsa'\ncondition: k"), ["*=mimikatz", "*=sekurlsa"])
    }

    func testPrefilterKeepsResultsAndSkipsRulesWithoutTheirLiterals() throws {
        let mapping = try LogsourceMapping(yaml: SigmaTestSupport.mappingYAML)
        let set = SigmaRuleSet(logsourceMapping: mapping, minimumLevel: .informational)
        for (i, word) in ["alpha", "beta", "gamma"].enumerated() {
            set.add(yaml: SigmaTestSupport.ruleYAML(detection: "s:\n    CommandLine|contains: '\(word)'\ncondition: s")
                .replacingOccurrences(of: "0000-000000000001", with: "0000-00000000000\(i)"), file: word)
        }
        let ev = set.makeEvaluator()
        XCTAssertEqual(ev.match(SigmaTestSupport.event([("CommandLine", "x BETA y gamma")])).map(\.rule.file), ["beta", "gamma"])
        XCTAssertEqual(ev.lastEvaluatedVariants, 2)
        XCTAssertEqual(ev.match(SigmaTestSupport.event([("CommandLine", "nothing")])).count, 0)
        XCTAssertEqual(ev.lastEvaluatedVariants, 0)
    }
}
