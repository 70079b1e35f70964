import PluginKit
import YaraEngine

/// A YARA match as a THOR finding: the rule's meta, tags and matched strings.
enum YaraFindings {
    static func finding(_ match: YaraMatch, rules: YaraRules) -> Finding {
        let info = rules.rules[match.ruleIndex]
        // falsepositive = 1: the rule's score lowers the total (thor-spec 3).
        var finding = Finding(ruleName: info.name, sigClass: "YARA Rule",
                              score: Int32(info.falsePositive ? -info.score : info.score))
        finding.description = info.description
        finding.reference = info.reference
        finding.author = info.author
        finding.date = info.date
        finding.sigType = info.namespace == "internal" ? "internal" : "custom"
        finding.tags = info.tags
        finding.matches = match.strings.map {
            Match(identifier: $0.identifier, offset: $0.offset, data: $0.data, context: $0.context)
        }
        return finding
    }
}
