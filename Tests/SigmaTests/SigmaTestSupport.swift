import XCTest
@testable import Sigma

/// Builds one-rule sets from a detection snippet and evaluates hand-made events.
enum SigmaTestSupport {
    /// Security-log rules keep the log source out of the way (channel `Security`, no EventID).
    static let mappingYAML = """
    logsources:
        process_creation_1:
            category: process_creation
            product: windows
            conditions:
                EventID: 1
            rewrite:
                product: windows
                service: sysmon
        process_creation_2:
            category: process_creation
            product: windows
            conditions:
                EventID: 4688
            rewrite:
                product: windows
                service: security
            fieldmappings:
                Image: NewProcessName
        windows-security:
            product: windows
            service: security
            sources:
                - 'WinEventLog:Security'
        windows-sysmon:
            product: windows
            service: sysmon
            sources:
                - 'WinEventLog:Microsoft-Windows-Sysmon/Operational'
    """

    static func ruleYAML(detection: String, level: String = "high", logsource: String = "    product: windows\n    service: security") -> String {
        """
        title: Test Rule
        id: 00000000-0000-0000-0000-000000000001
        status: test
        description: A rule for tests
        references:
            - https://example.org/a
        author: Tester
        tags:
            - attack.execution
            - attack.t1059
        logsource:
        \(logsource)
        detection:
        \(detection.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        level: \(level)
        """
    }

    static func set(_ detection: String, placeholders: [String: [String]] = [:],
                    file: StaticString = #filePath, line: UInt = #line) throws -> SigmaRuleSet {
        let set = SigmaRuleSet(logsourceMapping: try LogsourceMapping(yaml: mappingYAML), minimumLevel: .informational,
                               placeholders: placeholders)
        set.add(yaml: ruleYAML(detection: detection), file: "test.yml")
        XCTAssertEqual(set.skipped, [], file: file, line: line)
        return set
    }

    /// Why the rule was skipped (nil when it loaded).
    static func skipReason(_ detection: String, placeholders: [String: [String]] = [:]) throws -> String? {
        let set = SigmaRuleSet(logsourceMapping: try LogsourceMapping(yaml: mappingYAML), minimumLevel: .informational,
                               placeholders: placeholders)
        set.add(yaml: ruleYAML(detection: detection), file: "test.yml")
        return set.skipped.first?.reason
    }

    /// A Security-channel event with the given extra fields.
    static func event(_ fields: [(String, String?)]) -> SigmaFieldList {
        SigmaFieldList([("EventID", "4624"), ("Channel", "Security")] + fields.map { (name: $0.0, value: $0.1) })
    }
}

extension SigmaRuleSet {
    func fires(_ fields: [(String, String?)]) -> Bool {
        !match(SigmaTestSupport.event(fields)).isEmpty
    }
}
