/// Evaluates events against a rule set, reusing its buffers between events. Not thread-safe.
public final class SigmaEvaluator {
    private let set: SigmaRuleSet
    private let ctx: EventContext
    private var candidates: [Int] = []

    init(_ set: SigmaRuleSet) {
        self.set = set
        ctx = EventContext(fieldTable: set.fieldTable)
    }

    /// One match per rule that fires on the event, in rule load order.
    public func match(_ event: SigmaEvent) -> [SigmaMatch] {
        ctx.load(event)
        let channel = ctx.entry(set.channelSlot).flatMap { ctx.lowered($0) }.map { String(decoding: $0, as: UTF8.self) }
        let eventID = ctx.entry(set.eventIDSlot).flatMap { ctx.string($0) }
        set.index.candidates(channel: channel, eventID: eventID, into: &candidates)
        var matches: [SigmaMatch] = []
        var lastRule = -1
        for v in candidates {
            let variant = set.variants[v]
            // A rule's variants are adjacent; once one fired the rule is reported.
            if variant.ruleIndex == lastRule { continue }
            guard variant.matches(ctx) else { continue }
            lastRule = variant.ruleIndex
            matches.append(SigmaMatch(rule: set.rules[variant.ruleIndex], matchedFields: matchedFields(variant),
                                      logsource: variant.label))
        }
        return matches
    }

    /// Number of rules that fire, without building match records (for benchmarks and counting).
    public func countMatches(_ event: SigmaEvent) -> Int {
        ctx.load(event)
        let channel = ctx.entry(set.channelSlot).flatMap { ctx.lowered($0) }.map { String(decoding: $0, as: UTF8.self) }
        let eventID = ctx.entry(set.eventIDSlot).flatMap { ctx.string($0) }
        set.index.candidates(channel: channel, eventID: eventID, into: &candidates)
        var count = 0
        var lastRule = -1
        for v in candidates {
            let variant = set.variants[v]
            if variant.ruleIndex == lastRule { continue }
            if variant.matches(ctx) { lastRule = variant.ruleIndex; count += 1 }
        }
        return count
    }

    /// Fields of the selections that held and were not negated, with their values, in event order.
    private func matchedFields(_ variant: CompiledVariant) -> [(name: String, value: String)] {
        var positive: [Int] = []
        variant.condition.positiveSelections(into: &positive)
        var slots = Set<Int>()
        for i in Set(positive) where variant.selections[i].matches(ctx) {
            for name in variant.selections[i].fieldNames { slots.insert(set.fieldTable.slot(for: name)) }
        }
        var entries: [Int] = []
        for slot in slots { if let e = ctx.entry(slot) { entries.append(e) } }
        return entries.sorted().compactMap { e in ctx.string(e).map { (ctx.names[e], $0) } }
    }
}
