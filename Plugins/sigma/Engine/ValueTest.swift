import Foundation

/// How one rule value is compared with one (non-null) event value.
enum ValueTest {
    /// Wildcard pattern; case-folded on both sides unless `cased`.
    case pattern(PatternMatcher, cased: Bool)
    /// A plain YAML number: equal as text, or as integers (`4688` = `"4688"`).
    case number(text: [UInt8], value: Int64?)
    case regex(NSRegularExpression)
    case cidr(CIDRRange)
    case compare(NumericComparison, Double)
    /// Alternatives a modifier expanded one value into (`base64offset`, placeholders).
    case anyOf([ValueTest])

    func matches(_ ctx: EventContext, _ entry: Int) -> Bool {
        switch self {
        case .pattern(let m, let cased):
            guard let bytes = cased ? ctx.raw(entry) : ctx.lowered(entry) else { return false }
            return m.matches(bytes)
        case .number(let text, let value):
            guard let bytes = ctx.lowered(entry) else { return false }
            if bytes == text { return true }
            guard let value, let s = ctx.string(entry), let n = Int64(s.trimmingSpaces) else { return false }
            return n == value
        case .regex(let re):
            guard let s = ctx.string(entry) else { return false }
            let ns = s as NSString
            return re.firstMatch(in: s, options: [], range: NSRange(location: 0, length: ns.length)) != nil
        case .cidr(let range):
            guard let s = ctx.string(entry) else { return false }
            return range.contains(s)
        case .compare(let op, let limit):
            guard let s = ctx.string(entry), let n = Double(s.trimmingSpaces) else { return false }
            return op.holds(n, limit)
        case .anyOf(let tests):
            return tests.contains { $0.matches(ctx, entry) }
        }
    }

    /// Literal text any match must contain (already case-folded when the test folds case).
    var requiredLiterals: [[UInt8]]? {
        switch self {
        case .pattern(let m, let cased):
            // The prefilter searches case-folded values, so only folded literals can serve it.
            guard !cased, let lit = m.requiredLiteral, !lit.isEmpty else { return nil }
            return [lit]
        case .anyOf(let tests):
            var all: [[UInt8]] = []
            for t in tests { guard let l = t.requiredLiterals else { return nil }; all += l }
            return all
        default:
            return nil
        }
    }
}

enum NumericComparison: String {
    case lt, lte, gt, gte

    func holds(_ value: Double, _ limit: Double) -> Bool {
        switch self {
        case .lt: return value < limit
        case .lte: return value <= limit
        case .gt: return value > limit
        case .gte: return value >= limit
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
