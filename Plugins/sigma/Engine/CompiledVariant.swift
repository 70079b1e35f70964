/// One rule compiled for one log-source variant (a class: the evaluator reads it without copying).
final class CompiledVariant {
    let ruleIndex: Int
    let selections: [SelectionTest]
    let condition: ConditionExpr
    /// Conditions the log source adds besides Channel and EventID (e.g. `EventType: CreateKey`).
    let logsourceTests: [FieldTest]
    /// Channels (case-folded) the variant applies to; empty = any.
    let channels: [String]
    /// EventIDs the variant can match (from the log source and the detection); nil = any.
    let eventIDs: [String]?
    let label: String
    /// Literals of which one must occur for the variant to match (nil: none can be derived).
    let requirement: LiteralPrefilter.Requirement?

    init(ruleIndex: Int, selections: [SelectionTest], condition: ConditionExpr, logsourceTests: [FieldTest],
         channels: [String], eventIDs: [String]?, label: String) {
        self.ruleIndex = ruleIndex
        self.selections = selections
        self.condition = condition
        self.logsourceTests = logsourceTests
        self.channels = channels
        self.eventIDs = eventIDs
        self.label = label
        requirement = LiteralPrefilter.requirement(condition, selections)
    }

    func matches(_ ctx: EventContext) -> Bool {
        for t in logsourceTests where !t.matches(ctx) { return false }
        return condition.evaluate { selections[$0].matches(ctx) }
    }

    /// EventIDs the detection requires whatever else holds, nil when it does not pin them down.
    static func requiredEventIDs(_ expr: ConditionExpr, _ selections: [SelectionTest], eventIDSlot: Int) -> [String]? {
        switch expr {
        case .selection(let i):
            return requiredEventIDs(selections[i], eventIDSlot: eventIDSlot)
        case .and(let items):
            var result: [String]? = nil
            for item in items {
                if let ids = requiredEventIDs(item, selections, eventIDSlot: eventIDSlot) {
                    result = LogsourceMapping.intersect(result, ids)
                }
            }
            return result
        case .or(let items):
            var union: [String] = []
            for item in items {
                guard let ids = requiredEventIDs(item, selections, eventIDSlot: eventIDSlot) else { return nil }
                union += ids
            }
            return union
        case .not:
            return nil
        case .atLeast(_, let indices):
            return requiredEventIDs(.or(indices.map { .selection($0) }), selections, eventIDSlot: eventIDSlot)
        }
    }

    private static func requiredEventIDs(_ selection: SelectionTest, eventIDSlot: Int) -> [String]? {
        switch selection {
        case .fields(let tests):
            for t in tests where t.slot == eventIDSlot {
                guard case .values(let values, all: false, orNull: false) = t.kind else { continue }
                var ids: [String] = []
                for v in values {
                    guard case .number(let text, _) = v else { return nil }
                    ids.append(String(decoding: text, as: UTF8.self))
                }
                return ids
            }
            return nil
        case .any(let items):
            var union: [String] = []
            for item in items {
                guard let ids = requiredEventIDs(item, eventIDSlot: eventIDSlot) else { return nil }
                union += ids
            }
            return union
        case .all(let items):
            for item in items { if let ids = requiredEventIDs(item, eventIDSlot: eventIDSlot) { return ids } }
            return nil
        case .keywords:
            return nil
        }
    }
}
