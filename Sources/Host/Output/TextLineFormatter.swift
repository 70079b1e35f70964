import Foundation

/// THOR's text line: `Mon _d HH:MM:SS HOST THOR: Level: MODULE: X SCANID: S-.. MESSAGE: .. KEY: value ..`.
public struct TextLineFormatter: Sendable {
    public let context: LogContext

    public init(context: LogContext) { self.context = context }

    /// The line without the syslog-style header (the console form).
    public func body(_ event: LogEvent) -> String {
        var out = "\(event.level.rawValue):"
        for (k, v) in pairs(event) { out += " \(k): \(v)" }
        return out
    }

    /// The body as `KEY='value'` pairs (syslog type SYSLOGKV, `--keyval`, `--cmdkeyval`); a quote
    /// or backslash in a value is escaped with a backslash.
    public func keyValueBody(_ event: LogEvent) -> String {
        var out = "\(event.level.rawValue):"
        for (k, v) in pairs(event) {
            var quoted = ""
            for c in v.unicodeScalars {
                if c == "'" || c == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(c)
            }
            out += " \(k)='\(quoted)'"
        }
        return out
    }

    /// MODULE, SCANID, UID, MESSAGE, then the event's own keys, every value on one line.
    private func pairs(_ event: LogEvent) -> [(String, String)] {
        let content = contentPairs(event)
        var pairs = [content[0]]
        if !context.scanID.isEmpty { pairs.append(("SCANID", context.scanID)) }
        if context.generateUID { pairs.append(("UID", Self.uid(content))) }
        return pairs + content.dropFirst()
    }

    /// What the event says, without the scan's ID: MODULE, MESSAGE, the event's keys.
    private func contentPairs(_ event: LogEvent) -> [(String, String)] {
        switch event {
        case .message(let m):
            return [("MODULE", m.module), ("MESSAGE", clean(m.message))] + m.fields.map { ($0.key, clean($0.value)) }
        case .finding(let f):
            return [("MODULE", f.module), ("MESSAGE", f.message)]
                + f.subject.map { ($0.key, clean($0.value)) }
                + [("SCORE", String(Int(f.score.rounded())))]
                + reasonKeys(f).map { ($0.0, clean($0.1)) }
        }
    }

    /// The event's `--genid` UID: 16 hex digits of the SHA-256 of its content (neither time, host
    /// nor scan ID), so the same message from another scan or host has the same UID.
    public func uid(_ event: LogEvent) -> String {
        Self.uid(contentPairs(event))
    }

    private static func uid(_ pairs: [(String, String)]) -> String {
        var bytes: [UInt8] = []
        for (key, value) in pairs {
            // NUL cannot occur in a key or a cleaned value, so the pairs cannot run into each other.
            bytes += key.utf8
            bytes.append(0)
            bytes += value.utf8
            bytes.append(0)
        }
        return Array(SHA256Digest.of(bytes).prefix(8)).hexString
    }

    /// The full log-file line; its body as `KEY='value'` pairs with `--keyval`.
    public func line(_ event: LogEvent) -> String {
        "\(header(event)) \(context.keyValue ? keyValueBody(event) : body(event))"
    }

    /// `Mon _d HH:MM:SS HOST THOR:` (or an RFC 3339 time): the host is a Thunderstorm sample's source, else this host.
    public func header(_ event: LogEvent) -> String {
        let host: String
        if case .finding(let f) = event, let source = f.sourceHost { host = source } else { host = context.hostname }
        return "\(context.timeStyle.lineTimestamp(event.time)) \(host) THOR:"
    }

    /// REASON_n, SUBSCORE_n, ... for the top reasons, then REASONS_COUNT.
    public func reasonKeys(_ f: FindingReport) -> [(String, String)] {
        var out: [(String, String)] = []
        let shown = context.maxReasons == 0 ? f.reasons : Array(f.reasons.prefix(context.maxReasons))
        for (i, r) in shown.enumerated() {
            let n = i + 1
            let summary = r.description.isEmpty ? "\(Self.reasonLabel(r.sigClass)) \(r.ruleName)" : "\(Self.reasonLabel(r.sigClass)) \(r.ruleName) / \(r.description)"
            out.append(("REASON_\(n)", summary))
            out.append(("SUBSCORE_\(n)", String(r.score)))
            if !r.reference.isEmpty { out.append(("REF_\(n)", r.reference)) }
            out.append(("SIGTYPE_\(n)", r.sigType))
            out.append(("SIGCLASS_\(n)", r.sigClass))
            if !r.matches.isEmpty { out.append(("MATCHED_\(n)", Self.matched(r.matches))) }
            if !r.date.isEmpty { out.append(("RULEDATE_\(n)", r.date)) }
            if !r.tags.isEmpty { out.append(("TAGS_\(n)", r.tags.joined(separator: ", "))) }
            out.append(("RULENAME_\(n)", r.ruleName))
            if !r.author.isEmpty { out.append(("AUTHOR_\(n)", r.author)) }
            for kv in r.extra { out.append(("\(kv.key.uppercased())_\(n)", kv.value)) }
        }
        out.append(("REASONS_COUNT", String(f.reasons.count)))
        return out
    }

    static func reasonLabel(_ sigClass: String) -> String {
        sigClass == "YARA Rule" ? "YARA rule" : sigClass
    }

    /// `Str1: "data" in "context" at 0x1f`, several joined by ", ".
    static func matched(_ matches: [FindingRecord.MatchedString]) -> String {
        matches.prefix(10).map { m in
            var s = m.identifier.isEmpty ? "" : "\(m.identifier): "
            s += "\"\(printable(m.data))\""
            if !m.context.isEmpty { s += " in \"\(printable(m.context))\"" }
            if !m.field.isEmpty { s += " in \(m.field)" } else { s += " at 0x\(String(m.offset, radix: 16))" }
            return s
        }.joined(separator: ", ")
    }

    /// Printable ASCII kept, everything else as \xNN, so a line stays one line of text.
    static func printable(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7f && b != 0x5c { out.append(Character(Unicode.Scalar(b))) } else { out += String(format: "\\x%02x", b) }
        }
        return out
    }

    /// A value as it may appear in a line: one event, one line (see `shown`), cut to `--truncate`.
    func clean(_ value: String) -> String {
        let v = Self.shown(value)
        return context.truncate > 0 && v.count > context.truncate ? String(v.prefix(context.truncate)) : v
    }

    /// Text from the scanned system as it may reach a log or a terminal: line breaks become spaces,
    /// the other control characters `\xNN` (a file named with ESC sequences would otherwise drive
    /// the analyst's terminal). Tabs stay.
    static func shown(_ value: String) -> String {
        // C0 controls and DEL are single bytes; C1 controls (U+0080-U+009F) are encoded C2 80-9F.
        guard value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.replacingOccurrences(of: "\r\n", with: " ").unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D: out.append(" ")
            case 0x09: out.append(scalar)
            case 0x00..<0x20, 0x7F...0x9F: out.append(contentsOf: String(format: "\\x%02x", scalar.value).unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
