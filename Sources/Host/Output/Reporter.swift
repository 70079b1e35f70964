import Foundation
import PluginABI

/// Scores assessed objects, counts levels, and fans every event out to the sinks.
public final class Reporter: @unchecked Sendable {
    public struct Counts: Sendable, Equatable {
        public var alerts = 0
        public var warnings = 0
        public var notices = 0
        public var errors = 0
    }

    public let scoring: Scoring
    private let lock = NSLock()
    private var sinks: [LogSink]
    private var counts = Counts()

    public init(scoring: Scoring, sinks: [LogSink]) {
        self.scoring = scoring
        self.sinks = sinks
    }

    public var currentCounts: Counts { lock.lock(); defer { lock.unlock() }; return counts }

    public func add(_ sink: LogSink) { lock.lock(); sinks.append(sink); lock.unlock() }

    public func message(_ level: Level, module: String, _ text: String, fields: [(key: String, value: String)] = []) {
        emit(.message(LogMessage(time: Date(), level: level, module: module, message: text, fields: fields)))
    }

    public func error(module: String, _ text: String, fields: [(key: String, value: String)] = []) {
        message(.error, module: module, text, fields: fields)
    }

    /// Scores an object's findings and reports it when the score reaches the minimum.
    /// Returns the report, also when nothing was written.
    @discardableResult
    public func assess(_ item: ScanItem, findings: [FindingRecord]) -> FindingReport? {
        guard !findings.isEmpty else { return nil }
        let subScores = findings.map { Double($0.score) }
        let total = Scoring.combine(subScores)
        guard let level = scoring.level(total: total, subScores: subScores), level >= .notice else { return nil }
        let report = SubjectRenderer.report(item, level: level, score: total, findings: findings)
        emit(.finding(report))
        return report
    }

    public func emit(_ event: LogEvent) {
        lock.lock()
        defer { lock.unlock() }
        // Alerts, Warnings and Notices count assessed objects; Errors count problems of the scan.
        switch (event, event.level) {
        case (.finding, .alert): counts.alerts += 1
        case (.finding, .warning): counts.warnings += 1
        case (.finding, .notice): counts.notices += 1
        case (.message, .error): counts.errors += 1
        default: break
        }
        for sink in sinks { sink.write(event) }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        for sink in sinks { sink.close() }
    }
}
