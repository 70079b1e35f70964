/// Renders a `SampleVerdict` as THOR's default (JSON v1) Thunderstorm answer: an array with one
/// finding, or `[]` when clean. thunderstorm-cli needs `context` as an object and a known `level`.
public enum FindingRenderer {
    /// Everything about the sample that is not in the verdict.
    public struct Sample: Sendable, Equatable, Codable {
        public var fileName: String
        public var size: Int64
        /// Up to the first 20 bytes of the file.
        public var firstBytes: [UInt8]
        public var id: Int64?

        public init(fileName: String, size: Int64, firstBytes: [UInt8], id: Int64?) {
            self.fileName = fileName
            self.size = size
            self.firstBytes = Array(firstBytes.prefix(20))
            self.id = id
        }
    }

    public static func findings(_ verdict: SampleVerdict, sample: Sample) -> JSONValue {
        guard let level = verdict.level, !verdict.reasons.isEmpty else { return .array([]) }
        var context: [(String, JSONValue)] = [
            ("ext", .string(fileExtension(of: sample.fileName))),
            ("file", .string(sample.fileName)),
            ("firstBytes", .string(firstBytes(sample.firstBytes))),
            ("md5", .string(verdict.file.md5)),
            ("sha1", .string(verdict.file.sha1)),
            ("sha256", .string(verdict.file.sha256)),
            ("size", .int(sample.size)),
            ("type", .string(verdict.file.type)),
            ("reasons_count", .int(Int64(verdict.reasonsCount))),
        ]
        if let id = sample.id { context.append(("sample_id", .int(id))) }
        let finding: JSONValue = .object([
            ("level", .string(level.rawValue)),
            ("module", .string("Filescan")),
            ("message", .string(message(for: level))),
            ("score", .int(Int64(verdict.score))),
            ("context", .object(context)),
            ("matches", .array(verdict.reasons.map(match))),
        ])
        return .array([finding])
    }

    /// THOR 10 messages; the Notice text is THOR's v3 wording (THOR 10's is unknown).
    static func message(for level: FindingLevel) -> String {
        switch level {
        case .alert: return "Malware file found"
        case .warning: return "Possibly Dangerous file found"
        default: return "Suspicious file found"
        }
    }

    /// THOR 10's match keys (the README's example) plus `author`, `sigclass` and `sigtype`, which a
    /// client struct reads (reference 1.3); nothing else.
    private static func match(_ reason: FindingReason) -> JSONValue {
        .object([
            ("matched", .array(reason.matched.map { .string($0) })),
            ("reason", .string(reason.description)),
            ("ref", .string(reason.reference)),
            ("ruledate", .string(reason.date)),
            ("rulename", .string(reason.ruleName)),
            ("subscore", .int(Int64(reason.subScore))),
            ("tags", .array(reason.tags.map { .string($0) })),
            ("author", .string(reason.author)),
            ("sigclass", .string(reason.sigClass)),
            ("sigtype", .string(reason.sigType)),
        ])
    }

    /// The extension of the base name, with its dot ("" when none); Windows and POSIX separators.
    public static func fileExtension(of fileName: String) -> String {
        let base = fileName.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last ?? ""
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "" }
        return String(base[dot...])
    }

    /// 40 hex digits (fewer for short files), " / ", then the printable bytes; other bytes are dropped.
    public static func firstBytes(_ bytes: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        var text: [UInt8] = []
        for byte in bytes.prefix(20) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0xf)])
            if (0x20...0x7e).contains(byte) || byte == 0x0a || byte == 0x0d || byte == 0x09 { text.append(byte) }
        }
        return String(decoding: hex, as: UTF8.self) + " / " + String(decoding: text, as: UTF8.self)
    }
}
