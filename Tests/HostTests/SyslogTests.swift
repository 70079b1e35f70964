import Foundation
@testable import Host
import TestSupport
import XCTest

/// `-s/--syslog`: the target syntax, the messages on the wire (UDP and TCP, real sockets on
/// loopback), and a real scan whose lines reach a collector.
final class SyslogTests: XCTestCase {
    private let context = LogContext(hostname: "WKS-1", scanID: "S-syslogtest")
    private let time = Date(timeIntervalSince1970: 1_800_000_000)

    private func message(_ level: Level, _ text: String) -> LogEvent {
        .message(LogMessage(time: time, level: level, module: "Init", message: text, fields: [(key: "VERSION", value: "1.0.0")]))
    }

    func testTargetSyntaxAndDefaults() throws {
        XCTAssertEqual(try SyslogTarget(parsing: "collector"), SyslogTarget(host: "collector", port: 514, format: .standard, transport: .udp))
        XCTAssertEqual(try SyslogTarget(parsing: "10.0.0.4:5444:json:tcp"), SyslogTarget(host: "10.0.0.4", port: 5444, format: .json, transport: .tcp))
        XCTAssertEqual(try SyslogTarget(parsing: "siem:601::TCP"), SyslogTarget(host: "siem", port: 601, format: .standard, transport: .tcp))
        XCTAssertEqual(try SyslogTarget(parsing: "[::1]:1514:SYSLOGJSON"), SyslogTarget(host: "::1", port: 1514, format: .syslogJSON))
        XCTAssertEqual(try SyslogTarget(parsing: "[::1]").description, "[::1]:514:DEFAULT:UDP")
        XCTAssertEqual(try SyslogTarget(parsing: "h::syslogkv").format, .syslogKV)
        XCTAssertEqual(try SyslogTarget(parsing: "h:6514::tcptls").transport, .tcpTLS)
        let refused = [
            "": "no server", ":514": "no server", "host:0": "port '0' is not 1-65535", "host:70000": "port '70000'",
            "host:514:CEF": "CEF is not supported yet", "host:514:XML": "unknown type 'XML'; use DEFAULT, JSON, SYSLOGJSON, SYSLOGKV",
            "host:514:DEFAULT:SCTP": "unknown protocol 'SCTP'; use UDP, TCP or TCPTLS",
            "host:1:2:3:4": "too many ':' parts", "[::1:514": "without ']'",
        ]
        for (text, reason) in refused {
            XCTAssertThrowsError(try SyslogTarget(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    func testUDPMessagesAreTheTextLinesWithTheirPriority() throws {
        let receiver = try SyslogReceiver(tcp: false)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port), context: context)
        sink.write(message(.info, "Thor scan starting"))
        sink.write(message(.error, "cannot read"))
        sink.write(message(.debug, "below the minimum"))
        let got = receiver.messages(atLeast: 2)
        XCTAssertEqual(got.count, 2, "\(got)")
        let stamp = String(TextLineFormatter(context: context).line(message(.info, "")).prefix(15))
        XCTAssertEqual(got.first, "<190>\(stamp) WKS-1 THOR: Info: MODULE: Init SCANID: S-syslogtest MESSAGE: Thor scan starting VERSION: 1.0.0")
        XCTAssertEqual(got.last, "<187>\(stamp) WKS-1 THOR: Error: MODULE: Init SCANID: S-syslogtest MESSAGE: cannot read VERSION: 1.0.0")
        XCTAssertEqual(sink.flush(), 0)
    }

    func testLongTextMessagesAreCutBetweenCharactersAndJSONIsNot() throws {
        let receiver = try SyslogReceiver(tcp: false)
        let text = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port), context: context, maxLength: 100)
        let json = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port, format: .json), context: context, maxLength: 100)
        // "ü" is two bytes: as many "a" as put the 100-byte limit inside one.
        let prefix = "<190>".utf8.count + TextLineFormatter(context: context).line(message(.info, "")).utf8.count - " VERSION: 1.0.0".utf8.count
        let long = String(repeating: "a", count: (100 - prefix) % 2 == 0 ? 1 : 2) + String(repeating: "ü", count: 60)
        text.write(message(.info, long))
        json.write(message(.info, long))
        let got = receiver.messages(atLeast: 2)
        XCTAssertEqual(got.count, 2)
        let cut = try XCTUnwrap(got.first { $0.hasPrefix("<190>") })
        let full = "<190>" + TextLineFormatter(context: context).line(message(.info, long))
        XCTAssertEqual(cut.utf8.count, 99)
        XCTAssertTrue(full.hasPrefix(cut))
        let object = try XCTUnwrap(got.first { $0.hasPrefix("{") })
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any])
        XCTAssertEqual(decoded["message"] as? String, long)
        XCTAssertEqual(decoded["type"] as? String, "THOR message")
    }

    func testSyslogJSONHasTheHeaderBeforeTheObject() throws {
        let receiver = try SyslogReceiver(tcp: false)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port, format: .syslogJSON), context: context)
        sink.write(message(.notice, "done"))
        let got = try XCTUnwrap(receiver.messages(atLeast: 1).first)
        let header = "<189>" + TextLineFormatter(context: context).header(message(.notice, "done")) + " "
        XCTAssertTrue(got.hasPrefix(header), got)
        XCTAssertTrue(header.hasSuffix(" WKS-1 THOR: "), header)
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(got.dropFirst(header.count).utf8)) as? [String: Any])
        XCTAssertEqual(decoded["message"] as? String, "done")
    }

    func testSyslogKVQuotesEveryValue() throws {
        let receiver = try SyslogReceiver(tcp: false)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port, format: .syslogKV), context: context)
        sink.write(.message(LogMessage(time: time, level: .warning, module: "Filescan", message: "it's C:\\x",
                                       fields: [(key: "FILE", value: "/tmp/a b")])))
        let got = try XCTUnwrap(receiver.messages(atLeast: 1).first)
        let stamp = String(TextLineFormatter(context: context).line(message(.info, "")).prefix(15))
        XCTAssertEqual(got, "<188>\(stamp) WKS-1 THOR: Warning: MODULE='Filescan' SCANID='S-syslogtest' MESSAGE='it\\'s C:\\\\x' FILE='/tmp/a b'")
    }

    func testTCPFramesByNewlineAndCountsWhatItCannotSend() throws {
        let receiver = try SyslogReceiver(tcp: true)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: receiver.port, transport: .tcp), context: context)
        sink.write(message(.info, "one"))
        sink.write(message(.info, "two"))
        let got = receiver.messages(atLeast: 2)
        XCTAssertEqual(got.count, 2, "\(got)")
        XCTAssertEqual(got.map { line in line.range(of: "THOR: Info: ").map { String(line[$0.upperBound...]) } ?? line }, ["MODULE: Init SCANID: S-syslogtest MESSAGE: one VERSION: 1.0.0",
                                                                 "MODULE: Init SCANID: S-syslogtest MESSAGE: two VERSION: 1.0.0"])
        // The collector goes away. TCP takes the first message into its buffer before the peer's
        // reset arrives (it is lost unnoticed); the second fails, and so does the reconnect; the
        // third finds no connection.
        receiver.stop()
        for text in ["three", "four", "five"] {
            usleep(200_000)
            sink.write(message(.info, text))
        }
        XCTAssertEqual(sink.flush(), 2)
        XCTAssertEqual(receiver.messages(atLeast: 2, timeout: 0).count, 2)
    }

    func testAFailedReconnectIsNotRetriedBeforeTheDelay() throws {
        let first = try SyslogReceiver(tcp: true)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: first.port, transport: .tcp), context: context,
                                  reconnectDelay: 1)
        sink.write(message(.info, "one"))
        XCTAssertEqual(first.messages(atLeast: 1).count, 1)
        first.stop()
        usleep(200_000)
        sink.write(message(.info, "lost in the buffer"))
        usleep(200_000)
        sink.write(message(.info, "refused"))
        XCTAssertEqual(sink.flush(), 1)
        // The collector is back at once, but the sink waits out its delay before it tries again.
        let second = try SyslogReceiver(tcp: true, port: first.port)
        sink.write(message(.info, "within the delay"))
        XCTAssertEqual(sink.flush(), 2)
        usleep(1_100_000)
        sink.write(message(.info, "after the delay"))
        XCTAssertEqual(sink.flush(), 2)
        let got = second.messages(atLeast: 1)
        XCTAssertEqual(got.count, 1, "\(got)")
        XCTAssertTrue(got.first?.hasSuffix("MESSAGE: after the delay VERSION: 1.0.0") == true, "\(got)")
    }

    /// A collector that stops reading must not hold up the scan: writes only queue, a thread sends,
    /// and `flush` gives up after its drain time and counts what could not go out.
    func testAStalledCollectorDoesNotHoldUpWrites() throws {
        let collector = try SyslogReceiver(tcp: true, stalled: true)
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: collector.port, transport: .tcp),
                                  context: context, drainSeconds: 1)
        // About 4.5 MB: far more than the socket buffers take, so sends block.
        let filler = String(repeating: "x", count: 1500)
        let start = Date()
        for i in 0..<3000 { sink.write(message(.info, "\(i) \(filler)")) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "writes waited for the collector")
        let lost = sink.flush()
        XCTAssertGreaterThan(lost, 0)
        XCTAssertLessThan(lost, 3000, "the socket buffers took none")
        // The collector goes away: the blocked send fails at once, and the sink closes.
        collector.stop()
        sink.close()
    }

    func testAScanSendsItsLinesAndTheFindingIsTheTextLogLine() throws {
        let receiver = try SyslogReceiver(tcp: false)
        let tree = try temporaryFolder("syslog-tree")
        try tree.write("eicar.com", String(decoding: EICAR.bytes, as: UTF8.self))
        let out = try temporaryFolder("syslog-out").path
        let run = try Support.runThor(["-p", tree.path, "-e", out, "--nocolor", "--scanid", "S-syslogscan1", "-s", "127.0.0.1:\(receiver.port)"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let text = try ScanLog.lines(in: out, suffix: ".txt")
        let got = receiver.messages(atLeast: text.count)
        XCTAssertEqual(got.count, text.count, "\(got)")
        let finding = try XCTUnwrap(text.first { $0.contains("FILE: \(tree.path)/eicar.com ") })
        let level = try XCTUnwrap(Level.allCases.first { finding.contains(" THOR: \($0.rawValue): ") })
        let priority = [Level.alert: 185, .warning: 188, .notice: 189][level]
        XCTAssertTrue(got.contains("<\(try XCTUnwrap(priority))>" + finding), "\(got)")
        XCTAssertTrue(got.last?.contains("MESSAGE: Thor Scan finished ") == true, "\(got)")
    }

    func testABadTargetIsAUsageError() throws {
        let run = try Support.runThor(["-p", try temporaryFolder("syslog-usage").path, "--nolog", "-s", "collector:514:XML"])
        XCTAssertEqual(run.status, 64, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("syslog target collector:514:XML: unknown type 'XML'; use DEFAULT, JSON, SYSLOGJSON, SYSLOGKV"), run.stderr)
    }

    func testAnUnreachableTCPCollectorStopsTheScanBeforeItStarts() throws {
        let receiver = try SyslogReceiver(tcp: true)
        let port = receiver.port
        receiver.stop()
        let run = try Support.runThor(["-p", try temporaryFolder("syslog-empty").path, "--nolog", "-s", "127.0.0.1:\(port):DEFAULT:TCP"])
        XCTAssertEqual(run.status, 3, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("syslog server 127.0.0.1:\(port):DEFAULT:TCP does not accept a connection"), run.stderr)
    }
}
