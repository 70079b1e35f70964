import Foundation
import Yams

/// One YAML template: long flag names as keys (`intense: true`, `max_file_size: 7500000`,
/// `syslog: [a, b:514:TCP]`); read whole, then checked against the command's arguments.
struct Template {
    /// A key's value as written: scalars keep their text, so `0700` or `1e3` reach the option as typed.
    enum Value {
        case flag(Bool)
        case values([String])
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The keys and values as written, in order; `settings(checkedWith:)` checks them.
    let entries: [(key: String, node: Node)]
    let path: String

    /// Keys that are about reading templates or printing, not about the scan.
    static let reservedKeys: Set<String> = ["template", "generate-config", "help", "version"]

    static func load(path: String) throws -> Template {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "template \(path): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(description: "template \(path): not UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "template \(path): not valid YAML (\(error))")
        }
        // A template of comments only is empty, not an error (the shipped thor.yml is one).
        guard let root else { return Template(entries: [], path: path) }
        guard case .mapping(let mapping) = root else {
            throw Failure(description: "template \(path): expected a mapping of long flag names to values (intense: true)")
        }
        return Template(entries: try mapping.map { keyNode, node in
            guard let key = keyNode.scalar?.string else { throw Failure(description: "template \(path): a key that is not a flag name") }
            return (key, node)
        }, path: path)
    }

    /// The settings, each key checked against the command's arguments and its value against the argument's kind.
    func settings(checkedWith table: ArgumentTable) throws -> [(key: String, value: Value)] {
        do {
            return try Self.check(entries, table: table)
        } catch let failure as Failure {
            throw Failure(description: "template \(path): \(failure.description)")
        }
    }

    private static func check(_ entries: [(key: String, node: Node)], table: ArgumentTable) throws -> [(key: String, value: Value)] {
        var settings: [(key: String, value: Value)] = []
        for (key, valueNode) in entries {
            guard !reservedKeys.contains(key) else { throw Failure(description: "'\(key)' cannot be set in a template") }
            guard let argument = table.argument(long: key) else {
                let hint = table.suggestion(for: key).map { " (did you mean '\($0)'?)" } ?? ""
                throw Failure(description: "unknown key '\(key)'\(hint): keys are thor's long flag names")
            }
            guard !settings.contains(where: { $0.key == key }) else { throw Failure(description: "'\(key)' is given twice") }
            settings.append((key, try value(of: valueNode, for: key, argument)))
        }
        return settings
    }

    private static func value(of node: Node, for key: String, _ argument: ArgumentTable.Argument) throws -> Value {
        if argument.isFlag {
            guard let flag = node.bool else { throw Failure(description: "'\(key)' is a flag: give true or false") }
            return .flag(flag)
        }
        switch node {
        case .scalar(let scalar):
            guard node.null == nil || scalar.style != .plain else { throw Failure(description: "'\(key)' has no value") }
            return .values([scalar.string])
        case .sequence(let sequence):
            guard argument.isRepeating else { throw Failure(description: "'\(key)' takes one value, not a list") }
            return .values(try sequence.map { item in
                guard let scalar = item.scalar else { throw Failure(description: "'\(key)': list items must be plain values") }
                return scalar.string
            })
        default:
            throw Failure(description: "'\(key)' must be a value or a list of values")
        }
    }
}
