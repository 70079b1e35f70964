import Foundation

/// jsonlog v3 style objects: "THOR message" and "THOR finding", one per line.
public struct JSONEventEncoder: Sendable {
    public let context: LogContext

    public init(context: LogContext) { self.context = context }

    public func encode(_ event: LogEvent) -> JSONValue {
        switch event {
        case .message(let m):
            return .object([
                ("type", .string("THOR message")),
                ("meta", meta(event, time: m.time, level: m.level, module: m.module, host: nil)),
                ("message", .string(m.message)),
                ("fields", .object(m.fields.map { ($0.key.lowercased(), .string($0.value)) })),
                ("log_version", .string("v3.0.0")),
            ])
        case .finding(let f):
            let shown = context.maxReasons == 0 ? f.reasons : Array(f.reasons.prefix(context.maxReasons))
            return .object([
                ("type", .string("THOR finding")),
                ("meta", meta(event, time: f.time, level: f.level, module: f.module, host: f.sourceHost)),
                ("message", .string(f.message)),
                ("subject", subject(type: f.subjectType, path: f.subject.first { $0.key == "FILE" }?.value ?? "", fields: f.subjectFields)),
                ("score", .int(Int64(f.score.rounded()))),
                ("reasons", .array(shown.map(reason))),
                ("reason_count", .int(Int64(f.reasons.count))),
                ("context", .array(f.parent.map { [parentContext($0)] } ?? [])),
                ("log_version", .string("v3.0.0")),
            ])
        }
    }

    private func meta(_ event: LogEvent, time: Date, level: Level, module: String, host: String?) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("time", .string(Self.iso8601(time))),
            ("level", .string(level.rawValue)),
            ("module", .string(module)),
        ]
        if !context.scanID.isEmpty { pairs.append(("scan_id", .string(context.scanID))) }
        // The text line's UID, so that the two logs can be joined on it.
        if context.generateUID { pairs.append(("uid", .string(TextLineFormatter(context: context).uid(event)))) }
        pairs.append(("hostname", .string(host ?? context.hostname)))
        return .object(pairs)
    }

    /// jsonlog v3's context entry for the object the subject was found in.
    private func parentContext(_ parent: ParentObject) -> JSONValue {
        .object([
            ("object", subject(type: parent.type, path: parent.path, fields: parent.fields)),
            ("relations", .array([.object([
                ("relation_type", .string("derives from")),
                ("relation_name", .string("parent")),
                ("unique", .bool(true)),
            ])])),
        ])
    }

    /// A finding's subject, or the object it came out of: a file with its path, hashes, times and
    /// owner, anything else with its path and fields.
    private func subject(type: String, path: String, fields: [(key: String, value: String)]) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("type", .string(type))]
        if type == "file" {
            let field = { (k: String) in fields.first { $0.key == k }?.value }
            pairs.append(("path", .string(path)))
            if let ext = field("extension") { pairs.append(("extension", .string(ext))) }
            if let type = field("filetype") { pairs.append(("magic_header", .string(type))) }
            if let size = field("size"), let n = Int64(size) { pairs.append(("size", .int(n))) }
            if let md5 = field("md5"), let sha1 = field("sha1"), let sha256 = field("sha256") {
                pairs.append(("hashes", .object([("md5", .string(md5)), ("sha1", .string(sha1)), ("sha256", .string(sha256))])))
            }
            if let first = field("firstbytes") { pairs.append(("first_bytes", .string(first))) }
            var times: [(String, JSONValue)] = []
            for t in ["created", "modified", "accessed", "changed"] { if let v = field(t) { times.append((t, .string(v))) } }
            if !times.isEmpty { pairs.append(("file_times", .object(times))) }
            if let owner = field("owner") { pairs.append(("owner", .string(owner))) }
            if let mode = field("filemode") { pairs.append(("permissions", .string(mode))) }
            if let source = field("unpack_source") { pairs.append(("unpack_source", .string(source))) }
        } else {
            pairs.append(("path", .string(path)))
            pairs.append(("fields", .object(fields.map { ($0.key, .string($0.value)) })))
        }
        return .object(pairs)
    }

    private func reason(_ r: FindingRecord) -> JSONValue {
        let summary = r.description.isEmpty ? r.ruleName : "\(r.ruleName) / \(r.description)"
        return .object([
            ("type", .string("reason")),
            ("summary", .string(summary)),
            ("signature", .object([
                ("score", .int(Int64(r.score))),
                ("reference", .array(r.reference.isEmpty ? [] : [.string(r.reference)])),
                ("origin", .string(r.sigType)),
                ("kind", .string(r.sigClass)),
                ("date", .string(r.date)),
                ("tags", .array(r.tags.map { .string($0) })),
                ("rule_name", .string(r.ruleName)),
                ("description", .string(r.description)),
                ("author", .string(r.author)),
            ])),
            ("matched", .array(r.matches.map(matched))),
        ])
    }

    private func matched(_ m: FindingRecord.MatchedString) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("data", Self.data(m.data))]
        if !m.context.isEmpty { pairs.append(("context", Self.data(m.context))) }
        pairs.append(("offset", .int(Int64(m.offset))))
        if !m.field.isEmpty { pairs.append(("field", .string(m.field))) }
        if !m.identifier.isEmpty { pairs.append(("identifier", .string(m.identifier))) }
        return .object(pairs)
    }

    /// Bytes as plain text when they are printable UTF-8, else as hex.
    static func data(_ bytes: [UInt8]) -> JSONValue {
        let plain = bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 }
        if plain { return .object([("data", .string(String(decoding: bytes, as: UTF8.self))), ("encoding", .string("plain"))]) }
        return .object([("data", .string(bytes.hexString)), ("encoding", .string("hex"))])
    }

    /// `2023-11-02T09:08:47.123Z`, whatever the line times are.
    static func iso8601(_ date: Date) -> String {
        TimeStyle.rfc3339.fileTimestamp(date)
    }
}
