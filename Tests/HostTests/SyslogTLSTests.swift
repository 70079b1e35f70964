import Foundation
import Glibc
@testable import Host
import TestSupport
import XCTest

/// TCPTLS syslog against a real TLS server: `openssl s_server`, which prints what it receives.
final class SyslogTLSTests: XCTestCase {
    private let context = LogContext(hostname: "WKS-1", scanID: "S-syslogtls01")

    /// A self-signed certificate for `names` (subjectAltName entries) and its key.
    private func certificate(_ names: String) throws -> (cert: String, key: String) {
        let dir = try temporaryFolder("tls").path
        let run = try ChildProcess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=syslog-test",
            "-addext", "subjectAltName=\(names)", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return (dir + "/cert.pem", dir + "/key.pem")
    }

    /// `openssl s_server` on a free loopback port; its stdin stays open (at end of input it quits).
    private final class TLSCollector {
        let process = Process()
        let port: UInt16
        private let output: String
        private let input = Pipe()

        init(cert: String, key: String, output: String) throws {
            port = try Self.freePort()
            self.output = output
            FileManager.default.createFile(atPath: output, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-quiet"]
            process.standardInput = input
            process.standardOutput = FileHandle(forWritingAtPath: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Ready once it accepts connections.
            for _ in 0..<500 {
                let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = Self.loopback(port)
                let up = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
                close(probe)
                if up { return }
                usleep(10_000)
            }
            throw XCTSkip("openssl s_server did not start")
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        func received(lines count: Int) -> [String] {
            var lines: [String] = []
            for _ in 0..<500 {
                lines = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                if lines.count >= count { break }
                usleep(10_000)
            }
            return lines
        }

        static func loopback(_ port: UInt16) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            return address
        }

        /// A port nobody listens on right now: one the kernel gave a collector that is closed again.
        static func freePort() throws -> UInt16 {
            let probe = try SyslogReceiver(tcp: true)
            defer { probe.stop() }
            return probe.port
        }
    }

    private func message(_ text: String) -> LogEvent {
        .message(LogMessage(time: Date(), level: .info, module: "Init", message: text, fields: []))
    }

    private func collector(_ names: String = "DNS:localhost,IP:127.0.0.1") throws -> (TLSCollector, String) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("needs /usr/bin/openssl") }
        let (cert, key) = try certificate(names)
        return (try TLSCollector(cert: cert, key: key, output: try temporaryFolder("tls-out").path + "/received.txt"), cert)
    }

    func testMessagesArriveWhenTheServerIsTrusted() throws {
        let (server, cert) = try collector()
        for host in ["127.0.0.1", "localhost"] {
            let sink = try SyslogSink(target: SyslogTarget(host: host, port: server.port, transport: .tcpTLS), context: context,
                                      tls: SyslogTLSSettings(caFiles: [cert]))
            sink.write(message("over TLS to \(host)"))
            sink.close()
            XCTAssertEqual(sink.flush(), 0)
        }
        let lines = server.received(lines: 2)
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("<190>") && lines[0].hasSuffix(" WKS-1 THOR: Info: MODULE: Init SCANID: S-syslogtls01 MESSAGE: over TLS to 127.0.0.1"), lines[0])
        XCTAssertTrue(lines[1].hasSuffix("MESSAGE: over TLS to localhost"), lines[1])
    }

    func testAnUntrustedOrMisnamedServerIsRefusedUnlessInsecure() throws {
        let (server, cert) = try collector("DNS:elsewhere.example")
        let target = SyslogTarget(host: "127.0.0.1", port: server.port, transport: .tcpTLS)
        XCTAssertThrowsError(try SyslogSink(target: target, context: context)) { error in
            XCTAssertTrue("\(error)".contains("TLS handshake with 127.0.0.1 failed: self-signed certificate"), "\(error)")
        }
        XCTAssertThrowsError(try SyslogSink(target: target, context: context, tls: SyslogTLSSettings(caFiles: [cert]))) { error in
            XCTAssertTrue("\(error)".contains("TLS handshake with 127.0.0.1 failed: IP address mismatch"), "\(error)")
        }
        let sink = try SyslogSink(target: target, context: context, tls: SyslogTLSSettings(insecure: true))
        sink.write(message("unchecked"))
        sink.close()
        XCTAssertEqual(server.received(lines: 1).last?.hasSuffix("MESSAGE: unchecked"), true)
    }

    func testAServerThatGoesAwayCostsMessagesNotTheProcess() throws {
        let (server, cert) = try collector()
        let sink = try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: server.port, transport: .tcpTLS), context: context,
                                  tls: SyslogTLSSettings(caFiles: [cert]))
        sink.write(message("before"))
        XCTAssertEqual(server.received(lines: 1).count, 1)
        server.process.terminate()
        server.process.waitUntilExit()
        // As over plain TCP: the first write lands in the socket buffer before the reset arrives;
        // the second meets the reset (SIGPIPE, which must not end this process) and the reconnect
        // is refused; the third finds no connection.
        for text in ["one", "two", "three"] {
            usleep(200_000)
            sink.write(message(text))
        }
        XCTAssertEqual(sink.flush(), 2)
    }

    func testACAFileThatIsNoCertificateIsAConfigurationError() throws {
        let bogus = try temporaryFolder("tls-ca").path + "/ca.pem"
        FileManager.default.createFile(atPath: bogus, contents: Data("not a certificate\n".utf8))
        XCTAssertThrowsError(try SyslogSink(target: SyslogTarget(host: "127.0.0.1", port: 1, transport: .tcpTLS), context: context,
                                            tls: SyslogTLSSettings(caFiles: [bogus]))) { error in
            XCTAssertTrue("\(error)".contains("--ca \(bogus): not a PEM certificate file"), "\(error)")
        }
    }
}
