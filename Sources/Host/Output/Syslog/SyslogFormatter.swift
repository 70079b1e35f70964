/// Renders events for one syslog target: RFC 3164 style, facility local7 as THOR's messages
/// (`<190>` is an Info message), the severity from the level.
struct SyslogFormatter {
    let format: SyslogTarget.Format
    let text: TextLineFormatter
    let json: JSONEventEncoder
    /// Longest text message in bytes (`--maxsysloglength`, 0 = no limit); JSON is never cut.
    let maxLength: Int

    init(format: SyslogTarget.Format, context: LogContext, maxLength: Int) {
        self.format = format
        text = TextLineFormatter(context: context)
        json = JSONEventEncoder(context: context)
        self.maxLength = maxLength
    }

    static let facility = 23

    static func severity(_ level: Level) -> Int {
        switch level {
        case .alert: 1
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug: 7
        }
    }

    /// One message, without any framing.
    func message(_ event: LogEvent) -> String {
        let priority = "<\(Self.facility * 8 + Self.severity(event.level))>"
        switch format {
        case .standard:
            return cut(priority + text.line(event))
        case .json:
            return json.encode(event).serialized
        case .syslogJSON:
            return priority + text.header(event) + " " + json.encode(event).serialized
        case .syslogKV:
            return cut(priority + text.header(event) + " " + text.keyValueBody(event))
        }
    }

    /// At most `maxLength` bytes, cut before a character, never inside one.
    private func cut(_ line: String) -> String {
        guard maxLength > 0, line.utf8.count > maxLength else { return line }
        let bytes = Array(line.utf8)
        var end = maxLength
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
