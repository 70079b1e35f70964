import Foundation
import Glibc

/// An append-only file written a whole line at a time with write(2), so a crash loses nothing
/// already logged.
final class LineFile {
    private let fd: Int32
    let path: String

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
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    func close() { Glibc.close(fd) }
}

/// The THOR text log.
public final class TextLogSink: LogSink {
    private let file: LineFile
    private let formatter: TextLineFormatter
    private let minimum: Level

    public init(path: String, context: LogContext, minimum: Level = .info) throws {
        file = try LineFile(path: path)
        formatter = TextLineFormatter(context: context)
        self.minimum = minimum
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        let time: Date
        switch event {
        case .message(let m): time = m.time
        case .finding(let f): time = f.time
        }
        file.write(line: formatter.line(event, time: time))
    }

    public func close() { file.close() }
}

/// The JSON lines log.
public final class JSONLogSink: LogSink {
    private let file: LineFile
    private let encoder: JSONEventEncoder
    private let minimum: Level

    public init(path: String, context: LogContext, minimum: Level = .info) throws {
        file = try LineFile(path: path)
        encoder = JSONEventEncoder(context: context)
        self.minimum = minimum
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        file.write(line: encoder.encode(event).serialized)
    }

    public func close() { file.close() }
}
