import Foundation
import XCTest
@testable import Host
import PluginABI

final class LogFormatTests: XCTestCase {
    override func setUp() {
        setenv("TZ", "UTC", 1)
        tzset()
    }

    private func report(reasons: Int) -> FindingReport {
        let findings = (0..<reasons).map { i in
            FindingRecord(module: "yara", ruleName: "SUSP_Eicar_\(i)", description: "Just an EICAR test file",
                          reference: "https://www.eicar.org", author: "thor project", date: "2019-03-24",
                          sigClass: "YARA Rule", sigType: "internal", score: 80 - i * 10, tags: ["FILE", "SUSP"],
                          matches: [.init(identifier: "$s1", offset: 0, data: Array("X5O!P%@AP".utf8), context: [], field: "")],
                          extra: [])
        }
        let item = ScanItem(kind: THOR_OBJ_FILE, path: "/samples/eicar.com.txt", name: "eicar.com.txt", fields: [
            ("extension", ".txt"), ("filetype", "UNKNOWN"), ("size", "68"), ("md5", "44d88612fea8a8f36de82e1278abb02f"),
        ])
        return SubjectRenderer.report(item, level: .alert, score: Scoring.combine(findings.map { Double($0.score) }), findings: findings)
    }

    func testTextLineOfAKnownFinding() {
        var context = LogContext(hostname: "HOST1", scanID: "S-abcdefghijk")
        context.maxReasons = 2
        var finding = report(reasons: 3)
        finding.time = Date(timeIntervalSince1970: 1_700_000_000)
        let line = TextLineFormatter(context: context).line(.finding(finding))
        XCTAssertEqual(line, "Nov 14 22:13:20 HOST1 THOR: Alert: MODULE: Filescan SCANID: S-abcdefghijk MESSAGE: Malware file found "
            + "FILE: /samples/eicar.com.txt EXTENSION: .txt TYPE: UNKNOWN SIZE: 68 MD5: 44d88612fea8a8f36de82e1278abb02f SCORE: 89 "
            + "REASON_1: YARA rule SUSP_Eicar_0 / Just an EICAR test file SUBSCORE_1: 80 REF_1: https://www.eicar.org SIGTYPE_1: internal "
            + "SIGCLASS_1: YARA Rule MATCHED_1: $s1: \"X5O!P%@AP\" at 0x0 RULEDATE_1: 2019-03-24 TAGS_1: FILE, SUSP RULENAME_1: SUSP_Eicar_0 "
            + "AUTHOR_1: thor project "
            + "REASON_2: YARA rule SUSP_Eicar_1 / Just an EICAR test file SUBSCORE_2: 70 REF_2: https://www.eicar.org SIGTYPE_2: internal "
            + "SIGCLASS_2: YARA Rule MATCHED_2: $s1: \"X5O!P%@AP\" at 0x0 RULEDATE_2: 2019-03-24 TAGS_2: FILE, SUSP RULENAME_2: SUSP_Eicar_1 "
            + "AUTHOR_2: thor project REASONS_COUNT: 3")
    }

    func testDayIsPaddedWithASpace() {
        // 2023-11-02 09:08:47 UTC
        XCTAssertEqual(TimeStyle.local.lineTimestamp(Date(timeIntervalSince1970: 1_698_916_127)), "Nov  2 09:08:47")
    }

    func testMessageLineAndNewlinesStayOnOneLine() {
        let context = LogContext(hostname: "h", scanID: "S-x")
        let event = LogEvent.message(LogMessage(time: Date(timeIntervalSince1970: 0), level: .error, module: "Filescan",
                                                message: "Cannot open file", fields: [("FILE", "/a\nb"), ("ERROR", "Permission denied")]))
        XCTAssertEqual(TextLineFormatter(context: context).line(event),
                       "Jan  1 00:00:00 h THOR: Error: MODULE: Filescan SCANID: S-x MESSAGE: Cannot open file FILE: /a b ERROR: Permission denied")
    }

    /// --keyval: the log file's and the DEFAULT syslog message's body as KEY='value' pairs, a quote
    /// or backslash escaped; the header stays.
    func testKeyValueLinesInTheFileAndSyslog() {
        var context = LogContext(hostname: "h", scanID: "S-x")
        context.keyValue = true
        let event = LogEvent.message(LogMessage(time: Date(timeIntervalSince1970: 0), level: .error, module: "Filescan",
                                                message: "Cannot open file", fields: [("FILE", #"C:\it's"#), ("ERROR", "Permission denied")]))
        let body = #"Error: MODULE='Filescan' SCANID='S-x' MESSAGE='Cannot open file' FILE='C:\\it\'s' ERROR='Permission denied'"#
        XCTAssertEqual(TextLineFormatter(context: context).line(event), "Jan  1 00:00:00 h THOR: " + body)
        XCTAssertEqual(SyslogFormatter(format: .standard, context: context, maxLength: 0).message(event), "<187>Jan  1 00:00:00 h THOR: " + body)
    }

    /// Values come from the scanned system: a file name with ESC, BEL or C1 (U+009B, a one-character
    /// CSI) must not reach the analyst's terminal or the log as controls. Tabs and text stay.
    func testControlCharactersInValuesAreShownNotSent() {
        let context = LogContext(hostname: "h", scanID: "S-x")
        let event = LogEvent.message(LogMessage(time: Date(timeIntervalSince1970: 0), level: .warning, module: "Filescan", message: "Odd\u{07}",
                                                fields: [("FILE", "/tmp/a\u{1B}[2J\tb\r\nc\u{9B}31m\u{7F}é")]))
        XCTAssertEqual(TextLineFormatter(context: context).line(event),
                       "Jan  1 00:00:00 h THOR: Warning: MODULE: Filescan SCANID: S-x MESSAGE: Odd\\x07 FILE: /tmp/a\\x1b[2J\tb c\\x9b31m\\x7fé")
    }

    func testMaxReasonsZeroShowsAll() {
        var context = LogContext(hostname: "h", scanID: "S-x")
        context.maxReasons = 0
        let keys = TextLineFormatter(context: context).reasonKeys(report(reasons: 3)).map(\.0)
        XCTAssertTrue(keys.contains("REASON_3"))
        XCTAssertEqual(keys.last, "REASONS_COUNT")
    }

    func testJSONFindingHasTheV3Shape() throws {
        let context = LogContext(hostname: "h", scanID: "S-x")
        let json = JSONEventEncoder(context: context).encode(.finding(report(reasons: 1))).serialized
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["type"] as? String, "THOR finding")
        XCTAssertEqual(object["score"] as? Int, 80)
        XCTAssertEqual(object["reason_count"] as? Int, 1)
        XCTAssertEqual((object["meta"] as? [String: Any])?["scan_id"] as? String, "S-x")
        let subject = try XCTUnwrap(object["subject"] as? [String: Any])
        XCTAssertEqual(subject["path"] as? String, "/samples/eicar.com.txt")
        let reason = try XCTUnwrap((object["reasons"] as? [[String: Any]])?.first)
        XCTAssertEqual((reason["signature"] as? [String: Any])?["rule_name"] as? String, "SUSP_Eicar_0")
        let matched = try XCTUnwrap((reason["matched"] as? [[String: Any]])?.first)
        XCTAssertEqual((matched["data"] as? [String: Any])?["data"] as? String, "X5O!P%@AP")
    }

    func testJSONStringEscaping() {
        XCTAssertEqual(JSONValue.string("a\"b\\c\n\u{1}é").serialized, "\"a\\\"b\\\\c\\n\\u0001é\"")
    }
}
