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
    private(set) var bytesWritten: Int64 = 0

    /// `replace`: an existing file is emptied first; else lines are added to its end.
    init(path: String, replace: Bool = false) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (replace ? O_TRUNC : 0), 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write log file \(path): \(String(cString: strerror(errno)))") }
        self.path = path
    }

    func write(line: String) {
        var text = line
        text.append("\n")
        let (written, error) = text.withUTF8 { WriteAll.write(fd, UnsafeRawBufferPointer($0)) }
        bytesWritten += Int64(written)
        if error != 0 {
            failedLines += 1
            lastFailure = error
        }
    }

    func close() { Glibc.close(fd) }
}

/// A log file: one rendered line per event at or above a level, up to `maxLines` of them; the
/// line after those says that the rest is skipped (`--max_log_lines`).
public final class FileLogSink: LogSink {
    private let file: LineFile
    private let minimum: Level
    private let maxLines: Int?
    /// The event's line, or nil when this file does not list it.
    private let render: (LogEvent) -> String?
    private var lines = 0
    /// Lines not written because the file reached `maxLines`.
    public private(set) var skippedLines = 0

    init(path: String, minimum: Level, maxLines: Int?, replace: Bool = false, render: @escaping (LogEvent) -> String?) throws {
        file = try LineFile(path: path, replace: replace)
        self.minimum = minimum
        self.maxLines = maxLines
        self.render = render
    }

    /// The THOR text log.
    /// `replace`: a log of the same name is overwritten rather than continued.
    public static func text(path: String, context: LogContext, minimum: Level = .info, maxLines: Int? = nil, replace: Bool = false) throws -> FileLogSink {
        let formatter = TextLineFormatter(context: context)
        return try FileLogSink(path: path, minimum: minimum, maxLines: maxLines, replace: replace) { formatter.line($0) }
    }

    /// The JSON lines log.
    public static func json(path: String, context: LogContext, minimum: Level = .info, maxLines: Int? = nil, replace: Bool = false) throws -> FileLogSink {
        let encoder = JSONEventEncoder(context: context)
        return try FileLogSink(path: path, minimum: minimum, maxLines: maxLines, replace: replace) { encoder.encode($0).serialized }
    }

    /// `:hostname:_files_md5s.csv`: `md5,path,score` of every reported file (`-o/--csvfile`).
    public static func fileHashes(path: String) throws -> FileLogSink {
        try FileLogSink(path: path, minimum: .notice, maxLines: nil) { event in
            guard case .finding(let f) = event, f.subjectType == "file",
                  let md5 = f.subjectFields.first(where: { $0.key == "md5" })?.value,
                  let file = f.subject.first(where: { $0.key == "FILE" })?.value else { return nil }
            return CSV.line([md5, file, String(Int(f.score.rounded()))])
        }
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum, let line = render(event) else { return }
        if let maxLines, lines >= maxLines {
            if skippedLines == 0 {
                // The file says why it ends, in its own format.
                file.write(line: render(.message(LogMessage(
                    time: event.time, level: .warning, module: "LogControl",
                    message: "Log line limit reached: later lines are not written to this file (--max_log_lines)",
                    fields: [("LIMIT", String(maxLines))]))) ?? "")
            }
            skippedLines += 1
            return
        }
        lines += 1
        file.write(line: line)
    }

    public var bytesWritten: Int64 { file.bytesWritten }

    /// The line limit, when this file reached it.
    public var reachedLineLimit: Int? { skippedLines > 0 ? maxLines : nil }

    public var path: String { file.path }

    /// Lines the file system refused so far, and why; nil when every line was written.
    public var lost: (lines: Int, reason: String)? {
        file.failedLines == 0 ? nil : (file.failedLines, String(cString: strerror(file.lastFailure)))
    }

    public func close() { file.close() }
}
