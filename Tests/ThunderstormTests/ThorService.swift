import Foundation
import TestSupport
import XCTest

/// `thor --thunderstorm` as `swift build` left it, on a free loopback port, logging to its own folder.
final class ThorService {
    /// The built `thor` with the modules the service tests load; skips the test when one is missing.
    static func requireThor() throws -> String { try BuildProducts.thor(with: ["libthor-yara.so", "libthor-ioc.so"]) }

    let process = Process()
    let port: Int
    let uploadDirectory: String
    /// Folders made here, removed with the service: its logs, and its uploads unless the caller gave a folder.
    private let logs: TemporaryFolder
    private let ownUploads: TemporaryFolder?
    var logDirectory: String { logs.path }
    /// What the console showed up to "Listening".
    let startupConsole: String

    /// `logFiles`: false passes --nolog and no --json, so the service writes no log file.
    /// `openFileLimit`: the service runs under `ulimit -n` of that many descriptors (soft and hard).
    /// `fileSizeLimit`: the service runs under a file size limit (`ulimit -f`) of that many bytes, a multiple of 512.
    /// `executable`: another `thor` than the build's (one linked into a program folder of its own).
    init(_ extra: [String], uploadDirectory: String? = nil, threads: Int = 2, logFiles: Bool = true, openFileLimit: Int? = nil,
         fileSizeLimit: Int? = nil, executable: String? = nil) throws {
        logs = try TemporaryFolder("ts-logs")
        (self.uploadDirectory, ownUploads) = try TemporaryFolder.path(uploadDirectory, orFresh: "ts-up")
        // Started as from a shell: descriptors 3-9 closed (the test process may have left some open),
        // so the service's own files take the lowest numbers; `exec` keeps the process id thor's.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let limit = (openFileLimit.map { "ulimit -n \($0) && " } ?? "") + (fileSizeLimit.map { "ulimit -f \($0 / 512) && " } ?? "")
        process.arguments = ["-c", limit + #"exec "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-"#, "sh", try executable ?? Self.requireThor(),
                             "--thunderstorm", "--server-port", "0", "--server-upload-dir", self.uploadDirectory,
                             "--threads", String(threads), "-e", logs.path, "--nocolor"]
            + (logFiles ? ["--json"] : ["--nolog"]) + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = out.fileHandleForReading
        while !text.contains("MESSAGE: Listening ") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "MESSAGE: Listening ADDRESS: 127.0.0.1 PORT: "),
              let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw NSError(domain: "ThorService", code: 1, userInfo: [NSLocalizedDescriptionKey: "thor did not start: \(text)"])
        }
        self.port = port
        startupConsole = text
        // Keep draining the console so the service never blocks on a full pipe.
        Thread { while !handle.availableData.isEmpty {} }.start()
    }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }

    /// The service ends before its folders go.
    deinit { stop() }

    /// SIGKILL: no clean-up at all; its workers notice the lost parent and exit.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func logLines(_ suffix: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try ScanLog.lines(in: logDirectory, suffix: suffix, file: file, line: line)
    }
}
