import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
@testable import Thunderstorm
import XCTest

/// The service holds only as many client connections as its open-file limit leaves room for:
/// past the limit it could open none of its own files, and the Swift runtime traps (a thousand
/// idle clients under `ulimit -n 1024` ended the service with SIGILL). Clients beyond the cap wait
/// in the listen backlog and are served as others leave.
final class ConnectionLimitTests: XCTestCase {
    func testTheBudgetLeavesTheReserveAndTwoDescriptorsPerConnection() {
        var options = ThunderstormOptions()
        options.threads = 2
        options.samplesPerThread = 4
        options.syncWaitLimit = 64
        // 256 + 2 * 4 memory files + 64 waiting + 8 per worker thread
        XCTAssertEqual(ConnectionBudget.reserve(options), 344)
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 1024, options: options), 340)
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 512, options: options), 84)
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 1 << 20, options: options), ConnectionBudget.ceiling)
        XCTAssertNil(ConnectionBudget.connections(openFiles: 344 + 31, options: options), "15 connections are no service")
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 344 + 32, options: options), 16)
        options.maxConnections = 10
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 1024, options: options), 10)
        options.maxConnections = 5000
        XCTAssertEqual(ConnectionBudget.connections(openFiles: 1024, options: options), 340, "the limit caps a larger request")
    }

    func testConnectionsBeyondTheLimitWaitUntilOthersLeave() throws {
        let service = try ThorService(["--server-max-connections", "4"], logFiles: false)
        XCTAssertTrue(service.startupConsole.contains("MESSAGE: Connection limit CONNECTIONS: 4 OPEN_FILE_LIMIT: "), service.startupConsole)
        var waiting = try openWithRequests(10, port: service.port)
        var served = 0
        for expected in [4, 4, 2] {
            let answered = Self.answered(waiting, within: 2)
            XCTAssertEqual(answered.count, expected, "served so far \(served)")
            served += answered.count
            // Leaving clients make room for the ones waiting in the backlog.
            waiting.removeAll { connection in answered.contains { $0 === connection } }
        }
        XCTAssertEqual(served, 10)
        XCTAssertEqual(try RawHTTP(port: service.port).get("/api/status").status, 200)
    }

    func testALowOpenFileLimitCapsConnectionsAndTheServiceStaysUp() throws {
        let service = try ThorService([], logFiles: false, openFileLimit: 512)
        XCTAssertTrue(service.startupConsole.contains("MESSAGE: Connection limit CONNECTIONS: 84 OPEN_FILE_LIMIT: 512"), service.startupConsole)
        var connections = try openWithRequests(300, port: service.port)
        XCTAssertEqual(Self.answered(connections, within: 2).count, 84)
        connections.removeAll()
        XCTAssertTrue(service.process.isRunning)
        XCTAssertEqual(try RawHTTP(port: service.port).get("/api/status").status, 200)
    }

    func testTooLowALimitIsAStartUpErrorThatSaysWhatToRaise() throws {
        let run = try ChildProcess.run("/bin/sh", ["-c", #"ulimit -n 200 && exec "$@""#, "sh", try ThorService.requireThor(),
                                                   "--thunderstorm", "--server-port", "0", "--threads", "2", "--nolog", "--nocolor",
                                                   "--server-upload-dir", try temporaryFolder("up").path], mergeOutput: false)
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("the open-file limit of 200 leaves too little room for client connections; raise it to at least 376 (ulimit -n)"), run.stderr)
    }

    /// `count` connections, each with a GET /api/status sent (those beyond the cap sit in the backlog).
    private func openWithRequests(_ count: Int, port: Int) throws -> [RawHTTP.Connection] {
        try (0..<count).map { _ in
            let connection = try RawHTTP.Connection(port: port)
            try connection.send("GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n")
            return connection
        }
    }

    /// The connections whose answer arrived within `seconds` (all polled at once).
    private static func answered(_ connections: [RawHTTP.Connection], within seconds: Double) -> [RawHTTP.Connection] {
        Thread.sleep(forTimeInterval: seconds)
        var fds = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        _ = poll(&fds, nfds_t(fds.count), 0)
        return zip(connections, fds).filter { $0.1.revents & Int16(POLLIN) != 0 }.map(\.0)
    }
}
