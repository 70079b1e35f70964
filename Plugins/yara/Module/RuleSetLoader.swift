import PluginABI
import PluginKit
import YaraEngine

/// The module's compiled rule sets, one per use: file content, memory regions, and the meta
/// rules that tag objects. Vendor rules (signatures/yara) are compiled into the namespace
/// "internal", everything else (custom-signatures/yara, --yara-dir) into "custom".
struct RuleSets {
    var content: YaraRules?
    var memory: YaraRules?
    var meta: YaraRules?

    static func load(_ setup: ModuleSetup) throws -> RuleSets {
        var dirs = setup.signatureDirectories.map { $0 + "/yara" }
        if let extra = setup.option("yara-dir"), !extra.isEmpty {
            dirs += extra.split(separator: ",").map(String.init)
        }
        let vendor = setup.signatureDirectories.first.map { $0 + "/yara/" }
        let files = RuleFileDiscovery.ruleFiles(in: dirs)
        setup.host.reportVersion("yara", YaraLibrary.version)
        if let version = SignatureVersion.newest(of: files.map(\.path)) { setup.host.reportVersion("signatures", version) }
        let cache = setup.cacheDirectory.isEmpty ? nil : setup.cacheDirectory + "/yara"
        func compile(_ picked: [RuleFile], purpose: String) throws -> YaraRules? {
            guard !picked.isEmpty else { return nil }
            let paths = picked.map(\.path)
            let namespaces = paths.map { path in vendor.map { path.hasPrefix($0) } == true ? "internal" : "custom" }
            let rules = try YaraRules(files: paths, namespaces: namespaces, externals: YaraRules.thorExternals, cacheDirectory: cache)
            for failure in rules.failures {
                setup.host.log(THOR_LOG_WARNING, "YARA rule file skipped: \(failure.file) line \(failure.line): \(failure.message)")
            }
            setup.host.log(THOR_LOG_INFO, "YARA \(purpose) rules: \(rules.compiled.count) of \(rules.attempted.count) rule files compiled, "
                + "\(rules.publicRuleCount) rules\(rules.loadedFromCache ? " (from cache)" : "")")
            return rules
        }
        let generic = files.filter { $0.category == .generic }
        let process = files.filter { $0.category == .process }
        for skipped in files where [.log, .registry, .keyword].contains(skipped.category) {
            setup.host.log(THOR_LOG_INFO, "YARA rule file \(skipped.path) is a '\(skipped.category.rawValue)' set; this module does not apply it")
        }
        var sets = RuleSets()
        sets.content = try compile(generic, purpose: "file")
        // Process memory gets the generic rules too; a separate set only when there are process rules.
        sets.memory = process.isEmpty ? sets.content : try compile(generic + process, purpose: "memory")
        sets.meta = try compile(files.filter { $0.category == .meta }, purpose: "meta")
        return sets
    }
}
