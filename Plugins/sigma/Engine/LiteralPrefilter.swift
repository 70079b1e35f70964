/// Literal prefilter: for each rule variant, a set of (field slot, literal) pairs of which at least one
/// must occur in the case-folded field value for the rule to match at all. One Aho-Corasick pass per
/// field finds every such literal, so an event meets only the rules whose literals it contains.
struct LiteralPrefilter {
    typealias Requirement = [(slot: Int, literal: [UInt8])]
    /// The pseudo-slot of keyword searches: the literal may occur in any field value.
    static let anyField = -1

    /// Per variant: nil = no requirement (always evaluate); else the slots to scan.
    private(set) var variantSlots: [[Int]?] = []
    /// Per slot: its automaton and, per literal id, the variants it admits.
    private(set) var automata: [Int: (searcher: AhoCorasick, variants: [[Int32]])] = [:]

    init(requirements: [Requirement?]) {
        var literalsBySlot: [Int: [[UInt8]: Int]] = [:]
        var admitted: [Int: [[Int32]]] = [:]
        for (variant, req) in requirements.enumerated() {
            guard let req else { variantSlots.append(nil); continue }
            var slots: [Int] = []
            for (slot, literal) in req {
                if !slots.contains(slot) { slots.append(slot) }
                let id: Int
                if let existing = literalsBySlot[slot]?[literal] {
                    id = existing
                } else {
                    id = literalsBySlot[slot, default: [:]].count
                    literalsBySlot[slot, default: [:]][literal] = id
                    admitted[slot, default: []].append([])
                }
                admitted[slot]![id].append(Int32(variant))
            }
            variantSlots.append(slots)
        }
        for (slot, ids) in literalsBySlot {
            var literals = [[UInt8]](repeating: [], count: ids.count)
            for (lit, id) in ids { literals[id] = lit }
            automata[slot] = (AhoCorasick(literals), admitted[slot] ?? [])
        }
    }

    /// The requirement of one variant, or nil when its logic allows no literal requirement.
    static func requirement(_ expr: ConditionExpr, _ selections: [SelectionTest]) -> Requirement? {
        switch expr {
        case .selection(let i): return requirement(selections[i])
        case .and(let items): return best(items.map { requirement($0, selections) })
        case .or(let items): return union(items.map { requirement($0, selections) })
        case .not: return nil
        case .atLeast(_, let indices): return union(indices.map { requirement(selections[$0]) })
        }
    }

    private static func requirement(_ selection: SelectionTest) -> Requirement? {
        switch selection {
        case .fields(let tests): return best(tests.map(requirement))
        case .any(let items): return union(items.map(requirement))
        case .all(let items): return best(items.map(requirement))
        case .keywords(let tests, let all):
            let perValue: [Requirement?] = tests.map { t in t.requiredLiterals.map { $0.map { (anyField, $0) } } }
            return all ? best(perValue) : union(perValue)
        }
    }

    private static func requirement(_ test: FieldTest) -> Requirement? {
        guard case .values(let values, let all, let orNull) = test.kind, !orNull, !values.isEmpty else { return nil }
        let perValue: [Requirement?] = values.map { v in v.requiredLiterals.map { $0.map { (test.slot, $0) } } }
        return all ? best(perValue) : union(perValue)
    }

    /// Any one of several necessary conditions will do: take the one with the longest shortest literal.
    private static func best(_ options: [Requirement?]) -> Requirement? {
        var chosen: Requirement? = nil
        var score = -1
        for case let option? in options {
            let s = option.map(\.literal.count).min() ?? 0
            if s > score { score = s; chosen = option }
        }
        return chosen
    }

    /// Every branch needs its own literal; one branch without any makes the whole unconstrained.
    private static func union(_ options: [Requirement?]) -> Requirement? {
        var out: Requirement = []
        for option in options {
            guard let option else { return nil }
            out += option
        }
        return out.isEmpty ? nil : out
    }
}
