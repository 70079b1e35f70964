import Foundation
import Yams

/// The command line a run parses, as THOR builds it: the program folder's `config/thor.yml`, then
/// each `-t/--template` file in the order given (a key a later file gives replaces the earlier
/// value), then the command line, which wins over both: a key it names is taken from it alone,
/// lists included. Settings become the flags they name, so templates are checked and applied by
/// the same parser as the command line.
enum TemplateArguments {
    struct Expanded {
        let arguments: [String]
        /// With `--generate-config`: the YAML of the settings the templates and the command line give.
        let generatedConfig: String?
    }

    static func expand(_ arguments: [String], defaultTemplate: String) throws -> Expanded {
        let early = ArgumentTable.beforeTemplates.settings(in: arguments)
        let generate = early.contains { $0.key == "generate-config" }
        let named = early.first { $0.key == "template" }?.values ?? []
        let files = (FileManager.default.fileExists(atPath: defaultTemplate) ? [defaultTemplate] : []) + named
        let templates = try files.map { try Template.load(path: $0) }
        // No settings: the command line as it is, without building the argument table (every run
        // reads the shipped thor.yml, which holds only comments).
        guard templates.contains(where: { !$0.entries.isEmpty }) || generate else { return Expanded(arguments: arguments, generatedConfig: nil) }
        let table = try ArgumentTable.of(ThorCommand.self)
        var merged: [(key: String, value: Template.Value)] = []
        for template in templates {
            for setting in try template.settings(checkedWith: table) {
                if let index = merged.firstIndex(where: { $0.key == setting.key }) {
                    merged[index].value = setting.value
                } else {
                    merged.append(setting)
                }
            }
        }
        let given = table.settings(in: arguments).filter { !Template.reservedKeys.contains($0.key) }
        merged.removeAll { setting in given.contains { $0.key == setting.key } }
        if generate {
            let fromCommandLine = given.map { setting -> (key: String, value: Template.Value) in
                (setting.key, setting.values.isEmpty ? .flag(true) : .values(setting.values))
            }
            return Expanded(arguments: [], generatedConfig: try yaml(merged + fromCommandLine, table: table))
        }
        let fromTemplates = merged.flatMap { setting -> [String] in
            switch setting.value {
            case .flag(let on): return on ? ["--" + setting.key] : []
            case .values(let values): return values.map { "--\(setting.key)=\($0)" }
            }
        }
        return Expanded(arguments: fromTemplates + arguments, generatedConfig: nil)
    }

    /// Settings as a template would give them: lists for the flags that repeat, else the last value given.
    private static func yaml(_ settings: [(key: String, value: Template.Value)], table: ArgumentTable) throws -> String {
        let pairs = settings.map { setting -> (Node, Node) in
            let value: Node
            switch setting.value {
            case .flag(let on): value = Node(on ? "true" : "false", Tag(.bool))
            case .values(let values):
                let isRepeating = table.argument(long: setting.key)?.isRepeating ?? false
                value = isRepeating ? Node(values.map { Node($0) }) : Node(values.last ?? "")
            }
            return (Node(setting.key), value)
        }
        guard !pairs.isEmpty else { return "{}\n" }
        return try Yams.serialize(node: Node(pairs))
    }
}
