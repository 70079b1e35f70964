import XCTest
@testable import Sigma

/// Condition forms: and/or/not precedence, parentheses, `x of` with patterns and `them`, keywords.
final class ConditionTests: XCTestCase {
    private func parse(_ condition: String, _ names: [String]) throws -> ConditionExpr {
        try ConditionParser.parse(condition, names: names)
    }

    func testPrecedenceOrAndNot() throws {
        XCTAssertEqual(try parse("a or b and not c", ["a", "b", "c"]),
                       .or([.selection(0), .and([.selection(1), .not(.selection(2))])]))
        XCTAssertEqual(try parse("(a or b) and c", ["a", "b", "c"]),
                       .and([.or([.selection(0), .selection(1)]), .selection(2)]))
        XCTAssertEqual(try parse("not not a", ["a"]), .not(.not(.selection(0))))
        XCTAssertEqual(try parse("a AND NOT b", ["a", "b"]), .and([.selection(0), .not(.selection(1))]))
    }

    func testOfForms() throws {
        let names = ["selection_img", "selection_cli", "filter_main_a", "filter_optional_b", "_hidden"]
        XCTAssertEqual(try parse("1 of selection_*", names), .atLeast(1, [0, 1]))
        XCTAssertEqual(try parse("all of selection_*", names), .and([.selection(0), .selection(1)]))
        XCTAssertEqual(try parse("1 of them", names), .atLeast(1, [0, 1, 2, 3]))
        XCTAssertEqual(try parse("all of them", names), .and([.selection(0), .selection(1), .selection(2), .selection(3)]))
        XCTAssertEqual(try parse("2 of *_*", names), .atLeast(2, [0, 1, 2, 3, 4]))
        XCTAssertEqual(try parse("all of selection_* and not 1 of filter_main_* and not 1 of filter_optional_*", names),
                       .and([.and([.selection(0), .selection(1)]), .not(.atLeast(1, [2])), .not(.atLeast(1, [3]))]))
        XCTAssertEqual(try parse("1 of *img", names), .atLeast(1, [0]))
    }

    func testBadConditionsAreRejected() {
        XCTAssertThrowsError(try parse("a and", ["a"]))
        XCTAssertThrowsError(try parse("(a", ["a"]))
        XCTAssertThrowsError(try parse("a)", ["a"]))
        XCTAssertThrowsError(try parse("b", ["a"]))
        XCTAssertThrowsError(try parse("1 of filter_*", ["a"]))
        XCTAssertEqual(try? parse("a | count() > 5", ["a"]), nil)
        XCTAssertThrowsError(try parse("a | count() > 5", ["a"])) { error in
            XCTAssertEqual(error as? SigmaRuleError, .unsupported("aggregation in condition (a | count() > 5)"))
        }
        XCTAssertThrowsError(try parse(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100), ["a"]))
    }

    func testEvaluationOfNestedOfWithWildcardsAndNegation() throws {
        let s = try SigmaTestSupport.set("""
        selection_img:
            Image|endswith: '\\rundll32.exe'
        selection_cli:
            CommandLine|contains: 'javascript:'
        filter_main_sys:
            ParentImage|startswith: 'C:\\Windows\\'
        filter_optional_vendor:
            ParentImage|contains: 'Vendor'
        condition: all of selection_* and not (1 of filter_main_* or 1 of filter_optional_*)
        """)
        let base: [(String, String?)] = [("Image", "C:\\x\\rundll32.exe"), ("CommandLine", "rundll32 javascript:alert")]
        XCTAssertTrue(s.fires(base + [("ParentImage", "C:\\Users\\evil.exe")]))
        XCTAssertFalse(s.fires(base + [("ParentImage", "C:\\Windows\\explorer.exe")]))
        XCTAssertFalse(s.fires(base + [("ParentImage", "D:\\Vendor\\app.exe")]))
        XCTAssertFalse(s.fires([("Image", "C:\\x\\rundll32.exe"), ("CommandLine", "rundll32 x")]))
    }

    func testAtLeastNOf() throws {
        let s = try SigmaTestSupport.set("s1:\n    A: '1'\ns2:\n    B: '1'\ns3:\n    C: '1'\ncondition: 2 of s*")
        XCTAssertTrue(s.fires([("A", "1"), ("C", "1")]))
        XCTAssertFalse(s.fires([("A", "1"), ("C", "2")]))
    }

    func testThemSkipsUnderscoreIdentifiers() throws {
        let s = try SigmaTestSupport.set("a:\n    A: '1'\n_b:\n    B: '1'\ncondition: all of them")
        XCTAssertTrue(s.fires([("A", "1")]))
    }

    func testConditionListIsOr() throws {
        let s = try SigmaTestSupport.set("a:\n    A: '1'\nb:\n    B: '1'\ncondition:\n    - a\n    - b")
        XCTAssertTrue(s.fires([("B", "1")]))
        XCTAssertFalse(s.fires([("C", "1")]))
    }

    func testKeywordsSearchEveryValue() throws {
        let s = try SigmaTestSupport.set("keywords:\n    - 'sekurlsa::'\n    - 'event::clear'\nfilter:\n    EventID: 15\ncondition: keywords and not filter")
        XCTAssertTrue(s.fires([("CommandLine", "mimikatz SEKURLSA::logonpasswords")]))
        XCTAssertTrue(s.fires([("Payload", "x"), ("Other", "event::clear")]))
        XCTAssertFalse(s.fires([("CommandLine", "sekurlsa")]))
        XCTAssertEqual(s.match(SigmaFieldList([("EventID", "15"), ("Channel", "Security"), ("X", "sekurlsa::")])).count, 0)
    }

    func testKeywordsWithAllModifier() throws {
        let s = try SigmaTestSupport.set("keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords")
        XCTAssertTrue(s.fires([("Data", "Set-OabVirtualDirectory -ExternalUrl 'http://x'")]))
        XCTAssertTrue(s.fires([("A", "set-oabvirtualdirectory"), ("B", "x -externalurl y")]))
        XCTAssertFalse(s.fires([("Data", "Set-OabVirtualDirectory -InternalUrl 'http://x'")]))
    }

    func testUnsupportedRuleKindsAreSkippedWithTheFeature() throws {
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    A: 1\ntimeframe: 5m\ncondition: sel | count() > 3"),
                       "unsupported: timeframe")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    A: 1\ncondition: sel | count() > 3"),
                       "unsupported: aggregation in condition (sel | count() > 3)")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    A: 1\ncondition: sel and nope"),
                       "invalid: condition names unknown search identifier 'nope'")
        let set = SigmaRuleSet(logsourceMapping: try LogsourceMapping(yaml: SigmaTestSupport.mappingYAML))
        set.add(yaml: "title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n", file: "corr.yml")
        set.add(yaml: "title: a\nlogsource:\n    product: windows\n    service: nosuch\ndetection:\n    s:\n        A: 1\n    condition: s\n", file: "ls.yml")
        set.add(yaml: "title: a\n---\ntitle: b\n", file: "multi.yml")
        XCTAssertEqual(set.skipped, [
            SigmaSkippedRule(file: "corr.yml", reason: "unsupported: correlation rule"),
            SigmaSkippedRule(file: "ls.yml", reason: "unsupported: log source not in the mapping (product: windows, service: nosuch)"),
            SigmaSkippedRule(file: "multi.yml", reason: "unsupported: multi-document rule collection"),
        ])
    }
}
