import Foundation
import PluginABI

/// Describes a scanned object for the logs: THOR's module name, message and subject keys.
enum SubjectRenderer {
    /// Text-log keys of file fields, in THOR's order.
    private static let fileKeys: [(field: String, key: String)] = [
        ("extension", "EXTENSION"), ("filetype", "TYPE"), ("size", "SIZE"), ("md5", "MD5"), ("sha1", "SHA1"),
        ("sha256", "SHA256"), ("firstbytes", "FIRSTBYTES"), ("created", "CREATED"), ("modified", "MODIFIED"),
        ("accessed", "ACCESSED"), ("changed", "CHANGED"), ("filemode", "PERMISSIONS"), ("owner", "OWNER"),
    ]

    static func module(for kind: thor_object_kind) -> String {
        switch kind {
        case THOR_OBJ_FILE: "Filescan"
        case THOR_OBJ_EVENT: "Eventlog"
        case THOR_OBJ_REGISTRY_KEY, THOR_OBJ_REGISTRY_VALUE: "Registry"
        case THOR_OBJ_LOG_LINE: "LogScan"
        case THOR_OBJ_MEMORY: "DeepDive"
        case THOR_OBJ_PROCESS: "ProcessCheck"
        default: "Filescan"
        }
    }

    static func subjectType(for kind: thor_object_kind) -> String {
        switch kind {
        case THOR_OBJ_FILE: "file"
        case THOR_OBJ_EVENT: "eventlog entry"
        case THOR_OBJ_REGISTRY_KEY: "registry key"
        case THOR_OBJ_REGISTRY_VALUE: "registry value"
        case THOR_OBJ_LOG_LINE: "log line"
        case THOR_OBJ_MEMORY: "file chunk"
        case THOR_OBJ_PROCESS: "process"
        default: "record"
        }
    }

    static func message(level: Level, kind: thor_object_kind) -> String {
        message(level: level, noun: kind == THOR_OBJ_FILE ? "file" : kind == THOR_OBJ_EVENT ? "event" : "element")
    }

    /// The message of a report whose object is described as `subjectType` (see `subjectType(for:)`).
    static func message(level: Level, subjectType: String) -> String {
        message(level: level, noun: subjectType == "file" ? "file" : subjectType == "eventlog entry" ? "event" : "element")
    }

    private static func message(level: Level, noun: String) -> String {
        switch level {
        case .alert: return "Malware \(noun) found"
        case .warning: return "Suspicious \(noun) found"
        default: return "Possibly suspicious \(noun) found"
        }
    }

    static func report(_ item: ScanItem, level: Level, score: Double, findings: [FindingRecord], timeStyle: TimeStyle = .local) -> FindingReport {
        var subject: [(key: String, value: String)] = []
        let fields = item.fields + (item.fileFacts?.fields(timeStyle) ?? [])
        if item.kind == THOR_OBJ_FILE {
            subject.append(("FILE", item.path))
            for (field, key) in fileKeys {
                if let value = fields.first(where: { $0.key == field })?.value { subject.append((key, value)) }
            }
        } else {
            subject.append(("FILE", item.path))
            for (key, value) in item.fields { subject.append((key.uppercased().replacingOccurrences(of: " ", with: "_"), value)) }
        }
        let reasons = findings.sorted { $0.score > $1.score }
        return FindingReport(time: Date(), level: level, module: module(for: item.kind),
                             message: message(level: level, kind: item.kind),
                             subjectType: subjectType(for: item.kind), subject: subject,
                             subjectFields: fields, score: score, reasons: reasons,
                             sourceHost: item.field("source"), depth: item.depth,
                             parent: item.parent.map { parentObject($0, timeStyle: timeStyle) })
    }

    private static func parentObject(_ item: ScanItem, timeStyle: TimeStyle) -> ParentObject {
        ParentObject(type: subjectType(for: item.kind), path: item.path,
                     fields: item.fields + (item.fileFacts?.fields(timeStyle) ?? []))
    }
}
