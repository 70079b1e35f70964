/// THOR's `--max-hits`: a rule or IOC is reported at most this many times per scan. Past the cap
/// its matches leave the findings they are in, which are scored again from the reasons left and
/// dropped when those no longer reach a reporting level.
struct HitLimit {
    let maxHits: Int
    private var hits: [String: Int] = [:]

    init(maxHits: Int) {
        self.maxHits = maxHits
    }

    /// `report` without the reasons of rules at the cap, re-scored; nil when nothing reportable is left.
    func apply(to report: FindingReport, scoring: Scoring) -> FindingReport? {
        let kept = report.reasons.filter { (hits[Self.key($0)] ?? 0) < maxHits }
        guard kept.count < report.reasons.count else { return report }
        let subScores = kept.map { Double($0.score) }
        let total = Scoring.combine(subScores)
        guard !kept.isEmpty, let level = scoring.level(total: total, subScores: subScores), level >= .notice else { return nil }
        var capped = report
        capped.reasons = kept
        capped.score = total
        if level != report.level {
            capped.level = level
            capped.message = SubjectRenderer.message(level: level, subjectType: report.subjectType)
        }
        return capped
    }

    /// Counts the reasons of a written report; returns the rules that reached the cap with it.
    mutating func count(_ report: FindingReport) -> [FindingRecord] {
        var reached: [FindingRecord] = []
        for reason in report.reasons {
            let key = Self.key(reason)
            let n = (hits[key] ?? 0) + 1
            hits[key] = n
            if n == maxHits { reached.append(reason) }
        }
        return reached
    }

    private static func key(_ reason: FindingRecord) -> String {
        reason.sigClass + "\u{0}" + reason.ruleName
    }
}
