import PluginKit

/// The rule categories THOR picks by a tag in the rule file's name (thor-spec 4.3).
public enum RuleCategory: String, CaseIterable, Sendable {
    case generic, meta, log, registry, keyword, process
}

public struct RuleFile: Equatable, Sendable {
    public let path: String
    public let category: RuleCategory
}

/// Finds the .yar/.yara files of each folder as LOKI and build-rules.sh select them (see
/// `SignatureFolder.files`, which also leaves out hidden names): names not starting with '~' or '_';
/// folders are taken in the order given (signatures/yara, custom-signatures/yara, --yara-dir).
public enum RuleFileDiscovery {
    public static func ruleFiles(in directories: [String]) -> [RuleFile] {
        SignatureFolder.files(in: directories, where: isRuleFileName).map {
            RuleFile(path: $0.path, category: category(ofFileNamed: $0.name))
        }
    }

    static func isRuleFileName(_ name: String) -> Bool {
        guard let first = name.first, first != "~", first != "_" else { return false }
        return name.hasSuffix(".yar") || name.hasSuffix(".yara")
    }

    /// `memory` is an alias of `process`.
    static let tags: [(tag: String, value: RuleCategory)] = [
        ("meta", .meta), ("log", .log), ("registry", .registry), ("keyword", .keyword),
        ("process", .process), ("memory", .process),
    ]

    /// By THOR's `\W<tag>\W` rule ("log-rules.yar" is tagged 'log', "catalog.yar" is generic).
    public static func category(ofFileNamed name: String) -> RuleCategory {
        SignatureFolder.firstTag(of: name, in: tags) ?? .generic
    }
}
