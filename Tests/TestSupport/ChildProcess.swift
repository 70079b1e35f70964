import Foundation

/// Runs a program to its end and collects what it printed: the one process runner of the test suites.
public enum ChildProcess {
    public struct Result {
        public var status: Int32
        public var stdout: String
        /// Empty when the run merged standard error into `stdout`.
        public var stderr: String
    }

    /// `mergeOutput` sends standard error into the same pipe (the order of the lines is kept);
    /// `user` runs the program as that user through setpriv (needs root).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], cwd: String? = nil, user: String? = nil,
                           mergeOutput: Bool = false) throws -> Result {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=nogroup", "--clear-groups", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = mergeOutput ? out : err
        try process.run()
        // Standard error is drained on its own thread, so a child filling one pipe cannot stall on it.
        let errors = Collected()
        if mergeOutput {
            errors.drained.signal()
        } else {
            Thread {
                errors.data = err.fileHandleForReading.readDataToEndOfFile()
                errors.drained.signal()
            }.start()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errors.drained.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errors.data, as: UTF8.self))
    }

    /// Standard error, written by its reader thread before it signals `drained`.
    private final class Collected: @unchecked Sendable {
        var data = Data()
        let drained = DispatchSemaphore(value: 0)
    }

    /// The first word a coreutils digest tool prints for `file` (md5sum, sha1sum, sha256sum).
    public static func digest(_ tool: String, of file: String) throws -> String {
        String(try run("/usr/bin/" + tool, [file]).stdout.prefix { $0 != " " })
    }
}
