/// Evaluates events against a rule set, reusing its buffers between events. Not thread-safe.
public final class SigmaEvaluator {
    private let set: SigmaRuleSet
    private let ctx: EventContext
    private let prefilter: LiteralPrefilter
    private var candidates: [Int] = []
    /// Variants whose literal requirement the current event meets (stamped with `generation`).
    private var admitted: [UInt32]
    private var scannedSlots: [Int] = []
    private var generation: UInt32 = 0
    /// How many rule variants the last event was fully evaluated against (after both prefilters).
    private(set) var lastEvaluatedVariants = 0

    init(_ set: SigmaRuleSet, prefilter: LiteralPrefilter) {
        self.set = set
        self.prefilter = prefilter
        ctx = EventContext(fieldTable: set.fieldTable)
        admitted = Array(repeating: 0, count: set.variants.count)
    }

    /// One match per rule that fires on the event, in rule load order.
    public func match(_ event: SigmaEvent) -> [SigmaMatch] {
        var matches: [SigmaMatch] = []
        forEachMatch(event) { variant in
            matches.append(SigmaMatch(rule: set.rules[variant.ruleIndex], matchedFields: matchedFields(variant),
                                      logsource: variant.label))
        }
        return matches
    }

    /// Number of rules that fire, without building match records (for benchmarks and counting).
    public func countMatches(_ event: SigmaEvent) -> Int {
        var count = 0
        forEachMatch(event) { _ in count += 1 }
        return count
    }

    private func forEachMatch(_ event: SigmaEvent, _ body: (CompiledVariant) -> Void) {
        ctx.load(event)
        generation &+= 1
        if generation == 0 {
            for i in admitted.indices { admitted[i] = 0 }
            generation = 1
        }
        scannedSlots.removeAll(keepingCapacity: true)
        let channel = ctx.entry(set.channelSlot).flatMap { ctx.lowered($0) }.map { String(decoding: $0, as: UTF8.self) }
        let eventID = ctx.entry(set.eventIDSlot).flatMap { ctx.string($0) }
        set.index.candidates(channel: channel, eventID: eventID, into: &candidates)
        var lastRule = -1
        lastEvaluatedVariants = 0
        for v in candidates {
            let variant = set.variants[v]
            // A rule's variants are adjacent; once one fired the rule is reported.
            if variant.ruleIndex == lastRule { continue }
            if let slots = prefilter.variantSlots[v] {
                for slot in slots where !scannedSlots.contains(slot) { scan(slot) }
                if admitted[v] != generation { continue }
            }
            lastEvaluatedVariants += 1
            guard variant.matches(ctx) else { continue }
            lastRule = variant.ruleIndex
            body(variant)
        }
    }

    /// Runs the slot's literal automaton over the event value once, admitting the variants it hits.
    private func scan(_ slot: Int) {
        scannedSlots.append(slot)
        guard let automaton = prefilter.automata[slot] else { return }
        let gen = generation
        let admit: (Int32) -> Void = { id in
            for v in automaton.variants[Int(id)] { self.admitted[Int(v)] = gen }
        }
        if slot == LiteralPrefilter.anyField {
            for entry in 0..<ctx.fieldCount { if let value = ctx.lowered(entry) { automaton.searcher.scan(value, admit) } }
            return
        }
        guard let entry = ctx.entry(slot), let value = ctx.lowered(entry) else { return }
        automaton.searcher.scan(value, admit)
    }

    /// Fields of the selections that held and were not negated, with their values, in event order.
    private func matchedFields(_ variant: CompiledVariant) -> [(name: String, value: String)] {
        var positive: [Int] = []
        variant.condition.positiveSelections(into: &positive)
        var slots = Set<Int>()
        for i in Set(positive) where variant.selections[i].matches(ctx) {
            for name in variant.selections[i].fieldNames { if let s = set.fieldTable.exactSlot(name) { slots.insert(s) } }
        }
        var entries: [Int] = []
        for slot in slots { if let e = ctx.entry(slot) { entries.append(e) } }
        return entries.sorted().compactMap { e in ctx.string(e).map { (ctx.names[e], $0) } }
    }
}
