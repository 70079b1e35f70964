/// THOR 10.7 scoring: how sub-scores combine into one score, and which level that score reaches.
public struct Scoring: Sendable, Equatable {
    public var notice: Double = 40
    public var warning: Double = 60
    public var alert: Double = 81
    /// Below this total an element is not reported (`--min`).
    public var minimum: Double = 40
    /// An Alert needs at least one sub-score above this; otherwise it is capped at Warning.
    public var alertSubScore: Double = 75

    public init() {}

    /// `100 * (1 - prod(1 - s_i / 100 / 2^i))` over the positive sub-scores sorted descending;
    /// negative sub-scores (false-positive rules, negative IOCs) are subtracted afterwards, clamped at 0.
    public static func combine(_ subScores: [Double]) -> Double {
        let positive = subScores.filter { $0 > 0 }.sorted(by: >)
        var product = 1.0
        var weight = 1.0
        for s in positive {
            product *= 1 - min(s, 100) / 100 / weight
            weight *= 2
        }
        let total = 100 * (1 - product) + subScores.filter { $0 < 0 }.reduce(0, +)
        return max(0, total)
    }

    /// The level of a combined score, or nil when it is below the reporting minimum.
    public func level(total: Double, subScores: [Double]) -> Level? {
        guard total >= minimum else { return nil }
        if total >= alert {
            return subScores.contains { $0 > alertSubScore } ? .alert : .warning
        }
        if total >= warning { return .warning }
        if total >= notice { return .notice }
        return .info
    }
}
