import Yams

/// Compiles a rule's `detection` section for one log-source variant (whose field mappings rename fields).
struct DetectionCompiler {
    let values: ValueCompiler
    let fieldTable: FieldTable
    /// Sigma field name → event field name for this variant (e.g. `Image` → `NewProcessName` for 4688).
    let fieldMappings: [String: String]

    struct Compiled {
        var names: [String]
        var selections: [SelectionTest]
        var condition: ConditionExpr
    }

    func compile(_ detection: Node) throws -> Compiled {
        guard case .mapping(let map) = detection else { throw SigmaRuleError.invalid("detection is not a map") }
        var names: [String] = []
        var selections: [SelectionTest] = []
        var conditionNode: Node?
        for (keyNode, value) in map {
            guard let key = keyNode.scalarText else { throw SigmaRuleError.invalid("non-scalar key in detection") }
            switch key {
            case "condition": conditionNode = value
            case "timeframe": throw SigmaRuleError.unsupported("timeframe")
            default:
                names.append(key)
                selections.append(try selection(value))
            }
        }
        guard let conditionNode else { throw SigmaRuleError.invalid("detection has no condition") }
        let conditions: [String]
        switch conditionNode {
        case .scalar(let s): conditions = [s.string]
        case .sequence(let seq): conditions = seq.compactMap(\.scalarText)
        default: throw SigmaRuleError.invalid("condition is a map")
        }
        guard !conditions.isEmpty else { throw SigmaRuleError.invalid("empty condition") }
        // A list of conditions is linked with 'or'.
        let parsed = try conditions.map { try ConditionParser.parse($0, names: names) }
        return Compiled(names: names, selections: selections,
                        condition: parsed.count == 1 ? parsed[0] : .or(parsed))
    }

    private func slot(_ field: String) -> Int {
        fieldTable.slot(for: fieldMappings[field] ?? field)
    }

    private func selection(_ node: Node) throws -> SelectionTest {
        switch node {
        case .mapping(let map):
            return try mapSelection(map)
        case .sequence(let seq):
            // A list of maps is 'or' over the maps; a list of plain values is a keyword search.
            var items: [SelectionTest] = []
            var keywords: [RuleValue] = []
            for item in seq {
                switch item {
                case .mapping(let m): items.append(try mapSelection(m))
                case .scalar(let s): keywords.append(RuleValue(s))
                default: throw SigmaRuleError.unsupported("nested list in a selection")
                }
            }
            if !keywords.isEmpty {
                items.append(.keywords(try values.keywordTests(modifiers: [], values: keywords), all: false))
            }
            return items.count == 1 ? items[0] : .any(items)
        case .scalar(let s):
            return .keywords(try values.keywordTests(modifiers: [], values: [RuleValue(s)]), all: false)
        }
    }

    private func mapSelection(_ map: Node.Mapping) throws -> SelectionTest {
        var tests: [FieldTest] = []
        var keywordParts: [SelectionTest] = []
        for (keyNode, valueNode) in map {
            guard let key = keyNode.scalarText else { throw SigmaRuleError.invalid("non-scalar field name") }
            let (field, modifiers) = try ValueCompiler.splitKey(key)
            let ruleValues = try DetectionCompiler.ruleValues(valueNode)
            if field.isEmpty {
                // `'|all': [...]` and friends: keywords with modifiers.
                let kw = try values.keywordTests(modifiers: modifiers, values: ruleValues)
                keywordParts.append(.keywords(kw, all: modifiers.contains("all")))
                continue
            }
            let kind = try values.fieldKind(modifiers: modifiers, values: ruleValues, slotOf: slot)
            tests.append(FieldTest(field: fieldMappings[field] ?? field, slot: slot(field), kind: kind))
        }
        if keywordParts.isEmpty { return .fields(tests) }
        // Keyword entries inside a map are ANDed with the field tests like any other entry.
        return .all([.fields(tests)] + keywordParts)
    }

    static func ruleValues(_ node: Node) throws -> [RuleValue] {
        switch node {
        case .scalar(let s): return [RuleValue(s)]
        case .sequence(let seq):
            return try seq.map { item in
                guard case .scalar(let s) = item else { throw SigmaRuleError.unsupported("nested value list") }
                return RuleValue(s)
            }
        default:
            throw SigmaRuleError.unsupported("map as a field value")
        }
    }
}
