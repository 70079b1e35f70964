import Foundation

/// A rule that was not loaded, and why.
public struct SigmaSkippedRule: Sendable, Equatable {
    public var file: String
    public var reason: String
}

/// All loaded rules, compiled once, with an index by Channel and EventID.
public final class SigmaRuleSet {
    public private(set) var rules: [SigmaRule] = []
    public private(set) var skipped: [SigmaSkippedRule] = []
    /// Rules that compiled but sit below the minimum level (not evaluated).
    public private(set) var belowMinimumLevel = 0
    public let minimumLevel: SigmaLevel

    let fieldTable = FieldTable()
    private(set) var variants: [CompiledVariant] = []
    private(set) var index = RuleIndex()
    let channelSlot: Int
    let eventIDSlot: Int
    private let compiler: RuleCompiler
    /// The rule files `load` read, in order.
    public private(set) var files: [String] = []
    private var builtPrefilter: LiteralPrefilter?

    public init(logsourceMapping: LogsourceMapping, minimumLevel: SigmaLevel = .high,
                placeholders: [String: [String]] = [:]) {
        self.minimumLevel = minimumLevel
        compiler = RuleCompiler(mapping: logsourceMapping, values: ValueCompiler(placeholders: placeholders),
                                fieldTable: fieldTable)
        channelSlot = fieldTable.slot(for: "Channel")
        eventIDSlot = fieldTable.slot(for: "EventID")
    }

    /// Loads every `.yml`/`.yaml` file under the directories (recursively, sorted by path).
    public static func load(directories: [String], logsourceMapping: LogsourceMapping,
                            minimumLevel: SigmaLevel = .high, placeholders: [String: [String]] = [:]) -> SigmaRuleSet {
        let set = SigmaRuleSet(logsourceMapping: logsourceMapping, minimumLevel: minimumLevel, placeholders: placeholders)
        set.files = directories.flatMap(ruleFiles(in:))
        for file in set.files {
            guard let data = FileReader.read(file) else {
                set.skipped.append(SigmaSkippedRule(file: file, reason: "invalid: cannot read file"))
                continue
            }
            set.add(yaml: String(decoding: data, as: UTF8.self), file: file)
        }
        return set
    }

    static func ruleFiles(in directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".yml") || relative.hasSuffix(".yaml") {
                files.append(directory.hasSuffix("/") ? directory + relative : directory + "/" + relative)
            }
        }
        return files.sorted()
    }

    /// Adds one rule; a rule that cannot be used is recorded in `skipped`. Returns whether it was added.
    @discardableResult
    public func add(yaml: String, file: String) -> Bool {
        let output: RuleCompiler.Output
        do {
            output = try compiler.compile(yaml: yaml, file: file)
        } catch let error as SigmaRuleError {
            skipped.append(SigmaSkippedRule(file: file, reason: error.message))
            return false
        } catch {
            skipped.append(SigmaSkippedRule(file: file, reason: "invalid: \(error)"))
            return false
        }
        if output.rule.status == "deprecated" {
            skipped.append(SigmaSkippedRule(file: file, reason: "deprecated rule"))
            return false
        }
        if output.variants.isEmpty {
            skipped.append(SigmaSkippedRule(file: file, reason: "invalid: detection EventIDs outside the log source's"))
            return false
        }
        if output.rule.level < minimumLevel {
            belowMinimumLevel += 1
            return false
        }
        let ruleIndex = rules.count
        rules.append(output.rule)
        builtPrefilter = nil
        for v in output.variants {
            index.add(variants.count, channels: v.channels, eventIDs: v.eventIDs)
            variants.append(CompiledVariant(ruleIndex: ruleIndex, selections: v.selections, condition: v.condition,
                                            logsourceTests: v.logsourceTests, channels: v.channels,
                                            eventIDs: v.eventIDs, label: v.label))
        }
        return true
    }

    /// The literal prefilter over all variants, built on first use after rules were added.
    /// Adding rules while evaluators run on other threads is not supported.
    var prefilter: LiteralPrefilter {
        if let built = builtPrefilter { return built }
        let built = LiteralPrefilter(requirements: variants.map(\.requirement))
        builtPrefilter = built
        return built
    }

    /// A fresh evaluator (not thread-safe; use one per thread).
    public func makeEvaluator() -> SigmaEvaluator { SigmaEvaluator(self, prefilter: prefilter) }

    /// Convenience: evaluates one event with a throw-away evaluator.
    public func match(_ event: SigmaEvent) -> [SigmaMatch] { makeEvaluator().match(event) }
}

/// Variant numbers by (case-folded) Channel and EventID, so an event meets only the rules for its log.
struct RuleIndex {
    struct Bucket {
        var byEventID: [String: [Int]] = [:]
        var anyEventID: [Int] = []
    }

    private(set) var byChannel: [String: Bucket] = [:]
    private(set) var anyChannel = Bucket()

    mutating func add(_ variant: Int, channels: [String], eventIDs: [String]?) {
        func put(_ bucket: inout Bucket) {
            if let eventIDs {
                for id in Set(eventIDs) { bucket.byEventID[id, default: []].append(variant) }
            } else {
                bucket.anyEventID.append(variant)
            }
        }
        if channels.isEmpty {
            put(&anyChannel)
        } else {
            for channel in Set(channels) { put(&byChannel[channel, default: Bucket()]) }
        }
    }

    /// Candidate variants for an event, ascending (= rule load order).
    func candidates(channel: String?, eventID: String?, into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        if let channel, let bucket = byChannel[channel] {
            out += bucket.anyEventID
            if let eventID, let ids = bucket.byEventID[eventID] { out += ids }
        }
        out += anyChannel.anyEventID
        if let eventID, let ids = anyChannel.byEventID[eventID] { out += ids }
        out.sort()
    }
}
