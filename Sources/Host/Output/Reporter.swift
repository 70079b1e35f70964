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
    /// How the file times of reported objects are written.
    public let timeStyle: TimeStyle
    private let lock = NSLock()
    private var sinks: [LogSink]
    private var counts = Counts()
    private var filters: (list: PatternList, text: (LogEvent) -> String)?
    private var dropped = 0
    private var flood: (watch: LogFloodGuard, stop: () -> Void)?
    private var anonymize = false
    private var hitLimit: HitLimit?

    public init(scoring: Scoring, sinks: [LogSink], timeStyle: TimeStyle = .local) {
        self.scoring = scoring
        self.timeStyle = timeStyle
        self.sinks = sinks
    }

    public var currentCounts: Counts { lock.lock(); defer { lock.unlock() }; return counts }

    public func add(_ sink: LogSink) { lock.lock(); sinks.append(sink); lock.unlock() }

    /// Drops every event whose `text` (THOR's line without its header) a pattern of `list` matches:
    /// `false_positive_filters.cfg`. A dropped event is neither written nor counted.
    public func drop(matching list: PatternList, text: @escaping (LogEvent) -> String) {
        lock.lock()
        filters = (list, text)
        lock.unlock()
    }

    /// `--suppresspi`: user names leave every event before it is filtered and written
    /// (`PersonalDataFilter`); what `emit`'s caller holds keeps them.
    public func suppressPersonalData() {
        lock.lock()
        anonymize = true
        lock.unlock()
    }

    /// `--max-hits`: each rule or IOC is reported at most `maxHits` times (HitLimit); the reporter
    /// says when one reaches the cap.
    public func limitHits(to maxHits: Int) {
        lock.lock()
        hitLimit = HitLimit(maxHits: maxHits)
        lock.unlock()
    }

    /// Guards against a log flood (`LogLimits.maxOutputBytes`): once an output holds 15/16 of
    /// `bytes`, only Notices, Warnings and Alerts are written (every event is still counted), and
    /// at `bytes` the reporter says so and calls `stop`, once.
    public func limitOutput(to bytes: Int64, stop: @escaping () -> Void) {
        lock.lock()
        flood = (LogFloodGuard(limit: bytes), stop)
        lock.unlock()
    }

    /// Events the false-positive filters dropped so far.
    public var droppedEvents: Int { lock.lock(); defer { lock.unlock() }; return dropped }

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
        let report = SubjectRenderer.report(item, level: level, score: total, findings: findings, timeStyle: timeStyle)
        emit(.finding(report))
        return report
    }

    /// Writes and counts `event`; false when a false-positive filter dropped it.
    @discardableResult
    public func emit(_ event: LogEvent) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        var event = anonymize ? PersonalDataFilter.anonymize(event) : event
        if let hitLimit, case .finding(let report) = event {
            guard let capped = hitLimit.apply(to: report, scoring: scoring) else { return false }
            event = .finding(capped)
        }
        if let filters, filters.list.matches(filters.text(event)) {
            dropped += 1
            return false
        }
        var reachedCap: (module: String, rules: [FindingRecord]) = ("", [])
        if case .finding(let report) = event {
            // In place: a copy of the limit would copy its table of counts on every finding.
            reachedCap = (report.module, hitLimit?.count(report) ?? [])
        }
        // Alerts, Warnings and Notices count assessed objects; Errors count problems of the scan.
        switch (event, event.level) {
        case (.finding, .alert): counts.alerts += 1
        case (.finding, .warning): counts.warnings += 1
        case (.finding, .notice): counts.notices += 1
        case (.message, .error): counts.errors += 1
        default: break
        }
        if flood?.watch.writes(event.level) ?? true {
            for sink in sinks { sink.write(event) }
        }
        for rule in reachedCap.rules {
            announce(.notice, module: reachedCap.module, "Signature reached the maximum number of reports; its further matches are not reported",
                     fields: [("RULE", rule.ruleName), ("TYPE", rule.sigClass), ("MAX_HITS", String(hitLimit?.maxHits ?? 0))])
        }
        guard var flood else { return true }
        var largest: Int64 = 0
        for sink in sinks { largest = max(largest, sink.bytesWritten) }
        let step = flood.watch.step(largestOutput: largest)
        self.flood = flood
        switch step {
        case .none: break
        case .reduce:
            announce(.warning, "Log output is close to its limit: only Notices, Warnings and Alerts are written from now on",
                     fields: [("LIMIT", flood.watch.limitText)])
        case .stop:
            counts.errors += 1
            announce(.error, "Log output reached its limit: stopping the scan (--max-log-size)", fields: [("LIMIT", flood.watch.limitText)])
            flood.stop()
        }
        return true
    }

    /// Writes the reporter's own message (the flood guard's, which reduced logging would hold
    /// back; a signature reaching --max-hits) to every sink, uncounted and unfiltered.
    private func announce(_ level: Level, module: String = "LogControl", _ text: String, fields: [(key: String, value: String)]) {
        let event = LogEvent.message(LogMessage(time: Date(), level: level, module: module, message: text, fields: fields))
        for sink in sinks { sink.write(event) }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        for sink in sinks { sink.close() }
    }
}
