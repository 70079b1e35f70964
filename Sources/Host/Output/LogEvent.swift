import Foundation

/// One line of output: a plain message or an assessed object with its reasons.
public enum LogEvent: Sendable {
    case message(LogMessage)
    case finding(FindingReport)

    public var time: Date {
        switch self {
        case .message(let m): m.time
        case .finding(let f): f.time
        }
    }

    public var level: Level {
        switch self {
        case .message(let m): m.level
        case .finding(let f): f.level
        }
    }
}

public struct LogMessage: Sendable {
    public var time: Date
    public var level: Level
    public var module: String
    public var message: String
    public var fields: [(key: String, value: String)]
}

/// An object whose score reached a reporting level.
public struct FindingReport: Sendable {
    public var time: Date
    public var level: Level
    /// THOR's module name for the log line: Filescan, Eventlog, Registry, ...
    public var module: String
    public var message: String
    /// "file", "event", "registry value", ...
    public var subjectType: String
    /// Upper-case keys for the text log, in order.
    public var subject: [(key: String, value: String)]
    /// The subject's fields as the modules saw them (lower-case keys for files).
    public var subjectFields: [(key: String, value: String)]
    public var score: Double
    /// All reasons, highest sub-score first.
    public var reasons: [FindingRecord]
    /// Where the object came from: the host name of a Thunderstorm source, or nil for this host.
    public var sourceHost: String?
    /// The object's depth in its tree: 0 for the walked file or submitted sample itself, more for
    /// what modules found inside it (an event of a log, a member of an archive).
    public var depth: Int
    /// The object the subject came out of (the archive of a member, the log of an event): the
    /// JSON log's context names it, as THOR's does with the relation "parent"; nil at depth 0.
    public var parent: ParentObject? = nil
}

/// The object a finding's subject was found in, as the logs describe it.
public struct ParentObject: Sendable {
    /// "file", "eventlog entry", ... (SubjectRenderer.subjectType)
    public var type: String
    public var path: String
    /// Its fields as the modules saw them (lower-case keys for files).
    public var fields: [(key: String, value: String)]
}
