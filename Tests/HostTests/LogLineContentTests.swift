import Foundation
import TestSupport
import XCTest
@testable import Host

/// What a line carries besides its event: no scan ID (`--noscanid`), a content UID (`--genid`),
/// user names taken out (`--suppresspi`).
final class LogLineContentTests: XCTestCase {
    private func message(_ text: String, fields: [(key: String, value: String)] = [], time: Double = 0) -> LogEvent {
        .message(LogMessage(time: Date(timeIntervalSince1970: time), level: .warning, module: "Filescan", message: text, fields: fields))
    }

    private func context(scanID: String, uid: Bool) -> LogContext {
        var context = LogContext(hostname: "h", scanID: scanID)
        context.timeStyle = .rfc3339
        context.generateUID = uid
        return context
    }

    /// The first 16 hex digits of coreutils' SHA-256 of `bytes`: the UID computed independently.
    private func expectedUID(_ bytes: [UInt8]) throws -> String {
        let file = try temporaryFolder("uid").path + "/content"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return String(try ChildProcess.digest("sha256sum", of: file).prefix(16))
    }

    func testNoScanIDLeavesTheKeyOutOfTextAndJSON() throws {
        let event = message("Suspicious file", fields: [("FILE", "/tmp/x")])
        let context = context(scanID: "", uid: false)
        XCTAssertEqual(TextLineFormatter(context: context).line(event),
                       "1970-01-01T00:00:00Z h THOR: Warning: MODULE: Filescan MESSAGE: Suspicious file FILE: /tmp/x")
        let json = JSONEventEncoder(context: context).encode(event).serialized
        XCTAssertTrue(json.contains(#""meta":{"time":"1970-01-01T00:00:00.000Z","level":"Warning","module":"Filescan","hostname":"h"}"#), json)
    }

    func testUIDIsTheSHA256OfTheContentAndFollowsTheScanID() throws {
        let event = message("Suspicious file", fields: [("FILE", "/tmp/x")])
        var content: [UInt8] = []
        for part in ["MODULE", "Filescan", "MESSAGE", "Suspicious file", "FILE", "/tmp/x"] { content += Array(part.utf8) + [0] }
        let uid = try expectedUID(content)
        XCTAssertEqual(TextLineFormatter(context: context(scanID: "S-abc", uid: true)).line(event),
                       "1970-01-01T00:00:00Z h THOR: Warning: MODULE: Filescan SCANID: S-abc UID: \(uid) MESSAGE: Suspicious file FILE: /tmp/x")
        let json = JSONEventEncoder(context: context(scanID: "S-abc", uid: true)).encode(event).serialized
        XCTAssertTrue(json.contains(#""scan_id":"S-abc","uid":"\#(uid)","hostname":"h""#), json)
    }

    /// Identical messages get the same UID whatever the scan, host and time; any other content another.
    func testUIDDependsOnTheContentAlone() {
        let uid = { (context: LogContext, event: LogEvent) in TextLineFormatter(context: context).uid(event) }
        var elsewhere = context(scanID: "S-other", uid: true)
        elsewhere.hostname = "another-host"
        let first = uid(context(scanID: "S-abc", uid: true), message("Suspicious file", fields: [("FILE", "/tmp/x")]))
        XCTAssertEqual(first, uid(elsewhere, message("Suspicious file", fields: [("FILE", "/tmp/x")], time: 1_700_000_000)))
        XCTAssertNotEqual(first, uid(elsewhere, message("Suspicious file", fields: [("FILE", "/tmp/y")])))
        // The boundary between key and value is part of the content.
        XCTAssertNotEqual(uid(elsewhere, message("a", fields: [("FILE", "bc")])), uid(elsewhere, message("a", fields: [("FILEb", "c")])))
        XCTAssertEqual(first.count, 16)
        XCTAssertTrue(first.allSatisfy(\.isHexDigit))
    }

    func testProfileFolderNamesAreReplaced() {
        let cases: [(String, String)] = [
            (#"C:\Users\bob\AppData\Local\Temp\x.exe"#, #"C:\Users\ANONYMIZED_BY_THOR\AppData\Local\Temp\x.exe"#),
            (#"d:\USERS\Dave"#, #"d:\USERS\ANONYMIZED_BY_THOR"#),
            (#"C:\Documents and Settings\Alice\Desktop\a.doc"#, #"C:\Documents and Settings\ANONYMIZED_BY_THOR\Desktop\a.doc"#),
            ("/home/carol/.ssh/id_rsa", "/home/ANONYMIZED_BY_THOR/.ssh/id_rsa"),
            ("/home/jürgen/x", "/home/ANONYMIZED_BY_THOR/x"),
            (#"cmd /c copy C:\Users\a\x C:\Users\b\y"#, #"cmd /c copy C:\Users\ANONYMIZED_BY_THOR\x C:\Users\ANONYMIZED_BY_THOR\y"#),
            // Not a profile folder, or no name in it.
            (#"C:\Userspace\x"#, #"C:\Userspace\x"#),
            (#"\Users\bob"#, #"\Users\bob"#),
            ("/homework/x", "/homework/x"),
            ("/home/", "/home/"),
            ("/home//x", "/home//x"),
            ("plain text", "plain text"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(PersonalDataFilter.anonymizePaths(input), expected, input)
        }
    }

    /// With --suppresspi the reporter's sinks and its false-positive filters see the anonymized
    /// event; the caller keeps the original.
    func testReporterAnonymizesBeforeFilteringAndWriting() throws {
        final class Collect: LogSink {
            var events: [LogEvent] = []
            func write(_ event: LogEvent) { events.append(event) }
            func close() {}
        }
        let sink = Collect()
        let reporter = Reporter(scoring: Scoring(), sinks: [sink])
        reporter.suppressPersonalData()
        let list = try PatternList(patterns: ["FILE: /home/ANONYMIZED_BY_THOR/dropped"], kind: "false-positive filter")
        let formatter = TextLineFormatter(context: LogContext(hostname: "h", scanID: ""))
        reporter.drop(matching: list) { formatter.body($0) }
        XCTAssertTrue(reporter.emit(message("Cannot read", fields: [("FILE", "/home/bob/secret"), ("OWNER", "bob"), ("USER", "bob"), ("GROUP", "bob")])))
        XCTAssertFalse(reporter.emit(message("Cannot read", fields: [("FILE", "/home/eve/dropped")])))
        XCTAssertEqual(sink.events.map(formatter.body),
                       ["Warning: MODULE: Filescan MESSAGE: Cannot read FILE: /home/ANONYMIZED_BY_THOR/secret OWNER: ANONYMIZED_BY_THOR "
                        + "USER: ANONYMIZED_BY_THOR GROUP: bob"])
    }
}
