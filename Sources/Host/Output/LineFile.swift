import Foundation
import Glibc

/// An append-only file written a whole line at a time with write(2), so a crash loses nothing
/// already logged. A line the file system refuses (full, I/O error) is counted, never silently lost.
final class LineFile {
    private let fd: Int32
    let path: String
    /// Lines not written, or not whole, and why the last one failed.
    private(set) var failedLines = 0
    private(set) var lastFailure: Int32 = 0

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write log file \(path): \(String(cString: strerror(errno)))") }
        self.path = path
    }

    func write(line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failedLines += 1
                    lastFailure = n < 0 ? errno : ENOSPC
                    return
                }
                offset += n
            }
        }
    }

    func close() { Glibc.close(fd) }
}

/// A log file: one rendered line per event at or above a level.
public final class FileLogSink: LogSink {
    private let file: LineFile
    private let minimum: Level
    private let render: (LogEvent) -> String

    init(path: String, minimum: Level, render: @escaping (LogEvent) -> String) throws {
        file = try LineFile(path: path)
        self.minimum = minimum
        self.render = render
    }

    /// The THOR text log.
    public static func text(path: String, context: LogContext, minimum: Level = .info) throws -> FileLogSink {
        let formatter = TextLineFormatter(context: context)
        return try FileLogSink(path: path, minimum: minimum) { formatter.line($0) }
    }

    /// The JSON lines log.
    public static func json(path: String, context: LogContext, minimum: Level = .info) throws -> FileLogSink {
        let encoder = JSONEventEncoder(context: context)
        return try FileLogSink(path: path, minimum: minimum) { encoder.encode($0).serialized }
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        file.write(line: render(event))
    }

    public var path: String { file.path }

    /// Lines the file system refused so far, and why; nil when every line was written.
    public var lost: (lines: Int, reason: String)? {
        file.failedLines == 0 ? nil : (file.failedLines, String(cString: strerror(file.lastFailure)))
    }

    public func close() { file.close() }
}
