import XCTest
@testable import Sigma

/// Log-source mapping (THOR's format), minimum level, and what a match reports.
final class LogsourceAndFindingTests: XCTestCase {
    private let processRule = SigmaTestSupport.ruleYAML(
        detection: "sel:\n    Image|endswith: '\\whoami.exe'\n    CommandLine|contains: '/all'\nfilter:\n    User: 'ADMIN'\ncondition: sel and not filter",
        logsource: "    category: process_creation\n    product: windows")

    func testProcessCreationMatchesSysmon1AndSecurity4688WithMappedFields() throws {
        let set = SigmaRuleSet(logsourceMapping: try LogsourceMapping(yaml: SigmaTestSupport.mappingYAML), minimumLevel: .low)
        XCTAssertTrue(set.add(yaml: processRule, file: "p.yml"))
        let sysmon = SigmaFieldList([("EventID", "1"), ("Channel", "Microsoft-Windows-Sysmon/Operational"),
                                     ("Image", "C:\\Windows\\System32\\whoami.exe"), ("CommandLine", "whoami /all"),
                                     ("User", "alice")])
        let security = SigmaFieldList([("EventID", "4688"), ("Channel", "Security"),
                                       ("NewProcessName", "C:\\Windows\\System32\\whoami.exe"), ("CommandLine", "whoami /all")])
        let sysmonMatches = set.match(sysmon)
        XCTAssertEqual(sysmonMatches.map(\.logsource), ["process_creation_1>windows-sysmon"])
        XCTAssertEqual(set.match(security).map(\.logsource), ["process_creation_2>windows-security"])
        // Wrong EventID or channel for the log source: no match.
        XCTAssertEqual(set.match(SigmaFieldList([("EventID", "3"), ("Channel", "Microsoft-Windows-Sysmon/Operational"),
                                                 ("Image", "x\\whoami.exe"), ("CommandLine", "/all")])).count, 0)
        XCTAssertEqual(set.match(SigmaFieldList([("EventID", "1"), ("Channel", "Security"),
                                                 ("Image", "x\\whoami.exe"), ("CommandLine", "/all")])).count, 0)
        // On 4688 the rule reads NewProcessName, not Image.
        XCTAssertEqual(set.match(SigmaFieldList([("EventID", "4688"), ("Channel", "Security"),
                                                 ("Image", "x\\whoami.exe"), ("CommandLine", "/all")])).count, 0)
        // Channel names compare case-insensitively.
        XCTAssertEqual(set.match(SigmaFieldList([("EventID", "4688"), ("Channel", "SECURITY"),
                                                 ("NewProcessName", "x\\whoami.exe"), ("CommandLine", "/all")])).count, 1)
    }

    func testMatchCarriesRuleMetadataScoreAndMatchedFields() throws {
        let set = SigmaRuleSet(logsourceMapping: try LogsourceMapping(yaml: SigmaTestSupport.mappingYAML), minimumLevel: .high)
        set.add(yaml: processRule, file: "p.yml")
        let event = SigmaFieldList([("EventID", "1"), ("Channel", "Microsoft-Windows-Sysmon/Operational"),
                                    ("CommandLine", "whoami /all"), ("Image", "C:\\Windows\\System32\\whoami.exe"),
                                    ("User", "alice")])
        let m = try XCTUnwrap(set.match(event).first)
        XCTAssertEqual(m.rule.title, "Test Rule")
        XCTAssertEqual(m.rule.id, "00000000-0000-0000-0000-000000000001")
        XCTAssertEqual(m.rule.description, "A rule for tests")
        XCTAssertEqual(m.rule.references, ["https://example.org/a"])
        XCTAssertEqual(m.rule.tags, ["attack.execution", "attack.t1059"])
        XCTAssertEqual(m.rule.author, "Tester")
        XCTAssertEqual(m.rule.level, .high)
        XCTAssertEqual(m.rule.file, "p.yml")
        XCTAssertEqual(m.subScore, 70)
        // Fields of the selection that held, in event order; the negated filter's field is not listed.
        XCTAssertEqual(m.matchedFields.map(\.name), ["CommandLine", "Image"])
        XCTAssertEqual(m.matchedFields.map(\.value), ["whoami /all", "C:\\Windows\\System32\\whoami.exe"])
    }

    func testLevelScoresAndMinimumLevel() throws {
        XCTAssertEqual(SigmaLevel.allCases.map(\.subScore), [0, 40, 50, 70, 100])
        let mapping = try LogsourceMapping(yaml: SigmaTestSupport.mappingYAML)
        let high = SigmaRuleSet(logsourceMapping: mapping, minimumLevel: .high)
        for level in ["low", "medium", "high", "critical"] {
            high.add(yaml: SigmaTestSupport.ruleYAML(detection: "s:\n    A: 'x'\ncondition: s", level: level), file: level)
        }
        XCTAssertEqual(high.rules.map(\.level), [.high, .critical])
        XCTAssertEqual(high.belowMinimumLevel, 2)
        let medium = SigmaRuleSet(logsourceMapping: mapping, minimumLevel: .medium)
        medium.add(yaml: SigmaTestSupport.ruleYAML(detection: "s:\n    A: 'x'\ncondition: s", level: "medium"), file: "m")
        XCTAssertEqual(medium.rules.count, 1)
    }

    func testMissingLogsourcesElementIsAClearError() {
        XCTAssertThrowsError(try LogsourceMapping(yaml: "title: x\nother: 1\n", origin: "config/sigma.yml")) { error in
            XCTAssertEqual("\(error)", "could not parse sigma log sources config/sigma.yml ERROR: no logsources element found")
        }
    }

    func testProjectMappingFileResolvesTHORsChannels() throws {
        let mapping = try CorpusPaths.mapping()
        let pc = try XCTUnwrap(mapping.variants(category: "process_creation", product: "windows", service: nil))
        XCTAssertEqual(pc.map(\.channels), [["Microsoft-Windows-Sysmon/Operational"], ["Security"]])
        XCTAssertEqual(pc.map(\.eventIDs), [["1"], ["4688"]])
        XCTAssertEqual(pc[1].fieldMappings, ["Image": "NewProcessName", "ParentImage": "ParentProcessName"])
        let ps = try XCTUnwrap(mapping.variants(category: "ps_script", product: "windows", service: nil))
        XCTAssertEqual(ps.map(\.channels), [["Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"]])
        let del = try XCTUnwrap(mapping.variants(category: "registry_delete", product: "windows", service: nil))
        XCTAssertEqual(del.map { $0.conditions.map { "\($0.field)=\($0.values)" } }, [["EventType=[\"DeleteKey\"]"], ["EventType=[\"DeleteValue\"]"]])
        let av = try XCTUnwrap(mapping.variants(category: "antivirus", product: "windows", service: nil))
        XCTAssertEqual(av.map(\.channels), [["Microsoft-Windows-Windows Defender/Operational"]])
        XCTAssertEqual(av.first?.fieldMappings, ["Signature": "ThreatName", "Filename": "Path"])
        XCTAssertEqual(try XCTUnwrap(mapping.variants(category: nil, product: "windows", service: "dns-server")).map(\.channels),
                       [["DNS Server"]])
        XCTAssertNil(mapping.variants(category: "nosuch", product: "windows", service: nil))
        // Product only: every event of the product.
        XCTAssertEqual(try XCTUnwrap(mapping.variants(category: nil, product: "windows", service: nil)).map(\.channels), [[]])
    }
}
