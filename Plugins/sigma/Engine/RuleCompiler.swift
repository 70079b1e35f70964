import Yams

/// Parses one rule file and compiles it for every log-source variant it maps to.
struct RuleCompiler {
    let mapping: LogsourceMapping
    let values: ValueCompiler
    let fieldTable: FieldTable

    struct Output {
        var rule: SigmaRule
        var variants: [(selections: [SelectionTest], condition: ConditionExpr, logsourceTests: [FieldTest],
                        channels: [String], eventIDs: [String]?, label: String)]
    }

    func compile(yaml: String, file: String) throws -> Output {
        let documents: [Node]
        do {
            documents = Array(try Yams.compose_all(yaml: yaml))
        } catch {
            throw SigmaRuleError.invalid("YAML does not parse (\(error))")
        }
        guard documents.count == 1, let root = documents.first else {
            throw documents.count > 1 ? SigmaRuleError.unsupported("multi-document rule collection")
                                      : SigmaRuleError.invalid("empty file")
        }
        if root[key: "correlation"] != nil { throw SigmaRuleError.unsupported("correlation rule") }
        if root[key: "filter"] != nil { throw SigmaRuleError.unsupported("Sigma filter (meta rule)") }
        guard let title = root[key: "title"]?.scalarText else { throw SigmaRuleError.invalid("no title") }
        guard let detection = root[key: "detection"] else { throw SigmaRuleError.invalid("no detection") }
        let logsource = root[key: "logsource"]
        let rule = SigmaRule(
            title: title, id: root[key: "id"]?.scalarText ?? "", status: root[key: "status"]?.scalarText,
            description: root[key: "description"]?.scalarText, references: root[key: "references"]?.stringList ?? [],
            tags: root[key: "tags"]?.stringList ?? [], author: root[key: "author"]?.scalarText,
            date: root[key: "date"]?.scalarText, modified: root[key: "modified"]?.scalarText,
            falsePositives: root[key: "falsepositives"]?.stringList ?? [],
            // No level: the lowest, so the rule reports only when the minimum level allows everything.
            level: root[key: "level"]?.scalarText.flatMap { SigmaLevel(name: $0) } ?? .informational,
            category: logsource?[key: "category"]?.scalarText, product: logsource?[key: "product"]?.scalarText,
            service: logsource?[key: "service"]?.scalarText, file: file)
        guard let variants = mapping.variants(category: rule.category, product: rule.product, service: rule.service) else {
            let ls = [("category", rule.category), ("product", rule.product), ("service", rule.service)]
                .compactMap { k, v in v.map { "\(k): \($0)" } }.joined(separator: ", ")
            throw SigmaRuleError.unsupported("log source not in the mapping (\(ls))")
        }
        let eventIDSlot = fieldTable.slot(for: "EventID")
        var out = Output(rule: rule, variants: [])
        for variant in variants {
            let compiler = DetectionCompiler(values: values, fieldTable: fieldTable, fieldMappings: variant.fieldMappings)
            let compiled = try compiler.compile(detection)
            let logsourceTests = try variant.conditions.map { cond -> FieldTest in
                let kind = try values.fieldKind(modifiers: [], values: cond.values.map { RuleValue.string($0) },
                                                slotOf: fieldTable.slot(for:))
                return FieldTest(field: cond.field, slot: fieldTable.slot(for: cond.field), kind: kind)
            }
            let detectionIDs = CompiledVariant.requiredEventIDs(compiled.condition, compiled.selections,
                                                                eventIDSlot: eventIDSlot)
            let eventIDs = LogsourceMapping.intersect(variant.eventIDs, detectionIDs)
            // A variant whose log source and detection want disjoint EventIDs can never match.
            if let eventIDs, eventIDs.isEmpty { continue }
            out.variants.append((compiled.selections, compiled.condition, logsourceTests,
                                 variant.channels.map { String(decoding: CaseFolding.lower($0), as: UTF8.self) },
                                 eventIDs, variant.label))
        }
        return out
    }
}
