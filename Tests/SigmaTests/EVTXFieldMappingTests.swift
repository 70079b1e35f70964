import EVTX
import XCTest
@testable import Sigma

/// `EVTXFieldMapping` on real corpus records: the evtx module's names become the names Sigma rules use.
final class EVTXFieldMappingTests: XCTestCase {
    /// The raw fields and the mapped event of the record with this EventRecordID.
    private func record(_ file: String, _ eventRecordID: String) throws -> (raw: [EventField], event: SigmaFieldList) {
        try CorpusPaths.requireCorpus()
        let evtx = try EVTXFile(path: CorpusPaths.corpus + "/evtx/" + file)
        var found: [EventField] = []
        evtx.forEachRecord { r in
            if r.value("EventRecordID") == eventRecordID { found = r.fields; return false }
            return true
        }
        XCTAssertFalse(found.isEmpty, "no record \(eventRecordID) in \(file)")
        return (found, EVTXFieldMapping.sigmaEvent(found.map { ($0.name, $0.value) }))
    }

    private func value(_ event: SigmaFieldList, _ name: String) -> String?? {
        event.fields.first { $0.name == name }.map { $0.value }
    }

    func testSysmonRecordKeepsPayloadProcessIdAndMovesTheSystemOne() throws {
        let (_, event) = try record("sysmon.evtx", "1746")
        XCTAssertEqual(event.fields.prefix(16).map(\.name), [
            "Provider_Name", "Provider_Guid", "EventID", "Version", "Level", "Task", "Opcode", "Keywords", "SystemTime",
            "EventRecordID", "System_ProcessID", "ThreadID", "Channel", "Computer", "UserID", "UtcTime",
        ])
        XCTAssertEqual(value(event, "ProcessId"), "4724")
        XCTAssertEqual(value(event, "System_ProcessID"), "2284")
        XCTAssertNil(value(event, "ProcessID"))
        XCTAssertEqual(value(event, "UserID"), "S-1-5-18")
        XCTAssertEqual(value(event, "SystemTime"), "2017-12-26T13:10:49.683643Z")
        XCTAssertEqual(event.fields.count, 31)
    }

    func testUnnamedDataIsJoinedAndQualifiersRenamed() throws {
        let (raw, event) = try record("exec_emotet_ps_800_new-object.evtx", "787")
        let parts = ["Data", "Data_1", "Data_2"].map { n in raw.first { $0.name == n }?.value ?? "?" }
        XCTAssertEqual(value(event, "Data"), .some(parts.joined(separator: "\n")))
        XCTAssertEqual(value(event, "Data")??.utf8.count, 3717)
        XCTAssertNil(value(event, "Data_1"))
        XCTAssertEqual(value(event, "Qualifiers"), "0")
        XCTAssertEqual(value(event, "Binary"), "")
    }

    func testPayloadChannelOfALogClearedEventDoesNotReplaceTheSystemChannel() throws {
        let (_, event) = try record("system.evtx", "1847")
        XCTAssertEqual(value(event, "Channel"), "System")
        XCTAssertEqual(value(event, "EventData_Channel"), "Microsoft-Windows-Sysmon/Operational")
        XCTAssertNil(value(event, "Channel_1"))
    }

    func testSysmonStateEventVersionIsThePayloadOne() throws {
        let (_, event) = try record("issue_43.evtx", "507")
        XCTAssertEqual(value(event, "Version"), "6.03")
        XCTAssertEqual(value(event, "System_Version"), "3")
    }

    func testDefenderNamesWithBlanksGetTheSigmaSpellings() throws {
        let (_, event) = try record("WinDefender_Events_1117_1116_AtomicRedTeam.evtx", "37")
        let path = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
        XCTAssertEqual(value(event, "Process Name"), .some(path))
        XCTAssertEqual(value(event, "ProcessName"), .some(path))
        XCTAssertEqual(value(event, "Process_Name"), .some(path))
        XCTAssertEqual(value(event, "ThreatName"), "Trojan:PowerShell/Powersploit.M")
    }

    /// Every rule at once on a crafted record: repeats join into their first payload field (also a
    /// renamed one), each repeat of a core System name becomes its own `EventData_` field, and a payload
    /// name equal to a yielding System name in any ASCII case moves the System value.
    func testRepeatsClashesAndFoldedNamesOnACraftedRecord() {
        let fields: [(key: String, value: String)] = [
            ("Provider_Name", "P"), ("EventID", "104"), ("Version", "3"), ("Execution_ProcessID", "44"), ("Channel", "System"),
            ("Security_UserID", "S-1"), ("Channel_1", "A"), ("Data", "d0"), ("Channel_2", "B"), ("Data_1", "d1"),
            ("Version_1", "6.0"), ("Version_2", "x"), ("processid", "9"), ("Data_2", "d2"), ("Process Name", "p.exe"),
        ]
        let event = EVTXFieldMapping.sigmaEvent(fields)
        XCTAssertEqual(event.fields.map(\.name), [
            "Provider_Name", "EventID", "System_Version", "System_ProcessID", "Channel", "UserID", "EventData_Channel", "Data",
            "EventData_Channel", "Version", "processid", "Process Name", "ProcessName", "Process_Name",
        ])
        XCTAssertEqual(event.fields.map(\.value), [
            "P", "104", "3", "44", "System", "S-1", "A", "d0\nd1\nd2", "B", "6.0\nx", "9", "p.exe", "p.exe", "p.exe",
        ])
    }

    /// Rules written the SigmaHQ way fire on the mapped record and not on the parser's raw names.
    func testRulesNeedTheMapping() throws {
        try CorpusPaths.requireCorpus()
        let cases: [(file: String, id: String, logsource: String, detection: String)] = [
            ("exec_emotet_ps_800_new-object.evtx", "787", "    product: windows\n    service: powershell-classic",
             "selection:\n    EventID: 800\n    Data|contains: 'CommandInvocation(New-Object)'\ncondition: selection"),
            ("WinDefender_Events_1117_1116_AtomicRedTeam.evtx", "37", "    product: windows\n    service: windefend",
             "selection:\n    EventID: 1116\n    ProcessName|endswith: '\\powershell.exe'\ncondition: selection"),
            ("system.evtx", "1847", "    product: windows\n    service: system",
             "selection:\n    EventID: 104\n    EventData_Channel: 'Microsoft-Windows-Sysmon/Operational'\ncondition: selection"),
        ]
        for c in cases {
            let set = SigmaRuleSet(logsourceMapping: try CorpusPaths.mapping(), minimumLevel: .informational)
            set.add(yaml: SigmaTestSupport.ruleYAML(detection: c.detection, logsource: c.logsource), file: "test.yml")
            XCTAssertEqual(set.skipped, [])
            let (raw, event) = try record(c.file, c.id)
            XCTAssertEqual(set.match(event).count, 1, c.file)
            XCTAssertEqual(set.match(SigmaFieldList(raw.map { ($0.name, $0.value) })).count, 0, c.file)
        }
    }
}
