import Foundation
import PluginABI
import PluginKit
import Sigma

/// The `sigma` scan module: SigmaHQ rules on event objects, one finding per matching rule and event.
///
/// Options: `sigma-dir` (more rule folders, `;`-separated), `minimum-sigma-level` (default `high`,
/// `medium` with `intense`), `sigma-config` (log-source mapping; default `config/sigma.yml` beside the
/// signature folders). Rules come from `<signature dir>/sigma` of every signature folder.
public final class SigmaModule: ScanModule {
    public static let descriptor = ModuleDescriptor(
        name: "sigma", version: "1.0.0", description: "Sigma rules on event records",
        author: "thor open", objectKinds: [THOR_OBJ_EVENT])

    private let ruleSet: SigmaRuleSet
    private let evaluator: SigmaEvaluator
    /// Rule files below these folders are custom signatures (sig_type "custom").
    private let customRoots: [String]

    public init(_ setup: ModuleSetup) throws {
        let mappingPath = setup.option("sigma-config") ?? SigmaModule.defaultMappingPath(setup.signatureDirectories)
        let mapping: LogsourceMapping
        do {
            mapping = try LogsourceMapping.load(path: mappingPath)
        } catch {
            throw ModuleError.invalid("\(error)")
        }
        let levelName = setup.option("minimum-sigma-level") ?? (setup.flag("intense") ? "medium" : "high")
        guard let minimum = SigmaLevel(name: levelName) else {
            throw ModuleError.invalid("minimum-sigma-level: unknown level '\(levelName)'")
        }
        let extra = (setup.option("sigma-dir") ?? "").split(separator: ";").map(String.init).filter { !$0.isEmpty }
        let ruleDirs = setup.signatureDirectories.map { $0 + "/sigma" } + extra
        customRoots = setup.signatureDirectories.filter { $0.contains("custom-signatures") }.map { $0 + "/sigma" } + extra
        ruleSet = SigmaRuleSet.load(directories: ruleDirs, logsourceMapping: mapping, minimumLevel: minimum)
        for skip in ruleSet.skipped {
            setup.host.log(THOR_LOG_NOTICE, "Sigma rule skipped: \(skip.file): \(skip.reason)")
        }
        setup.host.log(THOR_LOG_INFO, "Sigma: \(ruleSet.rules.count) rules loaded, \(ruleSet.skipped.count) skipped, "
                       + "\(ruleSet.belowMinimumLevel) below minimum level \(minimum.name)")
        if let version = SignatureVersion.newest(of: ruleSet.files) { setup.host.reportVersion("sigma", version) }
        evaluator = ruleSet.makeEvaluator()
    }

    static func defaultMappingPath(_ signatureDirs: [String]) -> String {
        for dir in signatureDirs {
            let candidate = URL(fileURLWithPath: dir).deletingLastPathComponent().appendingPathComponent("config/sigma.yml").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return "config/sigma.yml"
    }

    public func scan(_ object: ScanObject, _ host: ScanHost) throws {
        let fields = object.fields
        // EVTX records arrive with the evtx module's names; rules use Sigma's (see EVTXFieldMapping).
        let event: SigmaEvent = object.type == "EVTX" ? EVTXFieldMapping.sigmaEvent(fields) : HostFields(fields: fields)
        for match in evaluator.match(event) {
            host.emit(finding(for: match))
        }
    }

    private func finding(for match: SigmaMatch) -> Finding {
        let rule = match.rule
        var f = Finding(ruleName: rule.title, sigClass: "Sigma Rule", score: Int32(match.subScore))
        f.description = rule.description ?? ""
        f.reference = rule.references.joined(separator: " ")
        f.author = rule.author ?? ""
        f.date = rule.modified ?? rule.date ?? ""
        f.sigType = customRoots.contains { rule.file.hasPrefix($0) } ? "custom" : "internal"
        f.tags = rule.tags
        f.matches = match.matchedFields.map { Match(identifier: $0.name, data: Array($0.value.utf8), field: $0.name) }
        f.extra = [("RULE_ID", rule.id), ("SIGMA_LEVEL", rule.level.name), ("SIGMA_LOGSOURCE", match.logsource)]
        return f
    }
}

/// The host's fields as they are, without a copy (the host sends no null values).
private struct HostFields: SigmaEvent {
    let fields: [(key: String, value: String)]

    func forEachField(_ body: (String, String?) -> Void) {
        for field in fields { body(field.key, field.value) }
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(SigmaModule.self, host: host)
}
