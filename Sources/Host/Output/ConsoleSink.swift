import Foundation
import Glibc

/// Console output: THOR's line body with a coloured level on a terminal, plain lines otherwise,
/// and a live progress line at the bottom of a terminal.
public final class ConsoleSink: LogSink, @unchecked Sendable {
    public enum Format: Sendable {
        /// THOR's line body.
        case text
        /// `KEY='value'` pairs (`--cmdkeyval`).
        case keyValue
        /// The JSON log's objects, one per line, never coloured (`--cmdjson`).
        case json
    }

    private let formatter: TextLineFormatter
    private let encoder: JSONEventEncoder
    private let format: Format
    private let colour: Bool
    public let isTerminal: Bool
    private let minimum: Level
    private let lock = NSLock()
    private var progressShown = false

    public init(context: LogContext, minimum: Level, colour: Bool, format: Format = .text) {
        formatter = TextLineFormatter(context: context)
        encoder = JSONEventEncoder(context: context)
        self.format = format
        isTerminal = isatty(STDOUT_FILENO) != 0
        self.colour = colour && isTerminal && format != .json
        self.minimum = minimum
    }

    public func write(_ event: LogEvent) {
        guard event.level >= minimum else { return }
        var body = switch format {
        case .text: formatter.body(event)
        case .keyValue: formatter.keyValueBody(event)
        case .json: encoder.encode(event).serialized
        }
        if colour, let code = Self.colourCode(event.level) {
            let name = event.level.rawValue
            body = "\u{1B}[\(code)m\(name)\u{1B}[0m" + body.dropFirst(name.count)
        }
        lock.lock()
        defer { lock.unlock() }
        clearProgress()
        fputs(body + "\n", stdout)
        fflush(stdout)
    }

    /// Replaces the progress line (terminals only).
    public func progress(_ text: String) {
        guard isTerminal else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = Self.terminalWidth()
        let line = text.count > width - 1 ? String(text.prefix(width - 1)) : text
        fputs("\r\u{1B}[2K" + line, stdout)
        fflush(stdout)
        progressShown = true
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        clearProgress()
        fflush(stdout)
    }

    private func clearProgress() {
        if progressShown {
            fputs("\r\u{1B}[2K", stdout)
            progressShown = false
        }
    }

    private static func colourCode(_ level: Level) -> String? {
        switch level {
        case .alert: "1;31"
        case .warning: "1;33"
        case .notice: "1;36"
        case .error: "1;35"
        default: nil
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 100
    }
}
