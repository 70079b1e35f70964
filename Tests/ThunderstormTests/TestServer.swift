import Foundation
import TestSupport
import XCTest

/// Spawns the `thunderstorm-testserver` fixture as a real process on a free loopback port.
final class TestServer {
    let process = Process()
    let port: Int
    let uploadDirectory: String
    /// The upload folder made here when the caller gave none, removed with the server.
    private let ownUploads: TemporaryFolder?
    let scheme: String
    private let stderrPipe = Pipe()

    static var executable: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        // On Linux argv[0] is <build>/debug/<pkg>PackageTests.xctest; on macOS it is xctest inside a bundle.
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("thunderstorm-testserver").path
    }

    /// Starts a server; `uploadDirectory` nil means a fresh temporary one.
    init(arguments: [String] = [], uploadDirectory: String? = nil, tls: Bool = false) throws {
        (self.uploadDirectory, ownUploads) = try TemporaryFolder.path(uploadDirectory, orFresh: "ts-upload")
        scheme = tls ? "https" : "http"
        process.executableURL = URL(fileURLWithPath: TestServer.executable)
        process.arguments = ["--port", "0", "--upload-dir", self.uploadDirectory] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = stderrPipe
        try process.run()
        // The fixture prints "LISTENING <port>" once the socket is bound.
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: "\n").first?.split(separator: " ").last, text.hasPrefix("LISTENING"),
              let port = Int(portText) else {
            process.terminate()
            let err = String(decoding: stderrPipe.fileHandleForReading.availableData, as: UTF8.self)
            throw NSError(domain: "TestServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text) \(err)"])
        }
        self.port = port
    }

    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Resident set size of the server in KiB (Linux /proc).
    func rssKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
