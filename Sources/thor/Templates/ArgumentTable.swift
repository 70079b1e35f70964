import ArgumentParser
import Foundation

/// The command line's arguments as templates see them: each flag and option by its long name
/// (a template's key) and its short one, from swift-argument-parser's own description of the
/// command, so a flag added to the command is a template key with nothing more to write.
struct ArgumentTable {
    struct Argument: Decodable {
        struct Name: Decodable {
            let kind: String
            let name: String
        }
        let kind: String
        let names: [Name]
        let isRepeating: Bool

        var isFlag: Bool { kind == "flag" }
        var long: String? { names.first { $0.kind == "long" }?.name }
    }

    private struct ToolInfo: Decodable {
        struct Command: Decodable { let arguments: [Argument] }
        let command: Command
    }

    private let byLong: [String: Argument]
    private let byShort: [String: Argument]

    init(json: String) throws {
        self.init(arguments: try JSONDecoder().decode(ToolInfo.self, from: Data(json.utf8)).command.arguments)
    }

    init(arguments: [Argument]) {
        var byLong: [String: Argument] = [:]
        var byShort: [String: Argument] = [:]
        for argument in arguments where argument.kind != "positional" {
            for name in argument.names {
                if name.kind == "short" { byShort[name.name] = argument } else { byLong[name.name] = argument }
            }
        }
        self.byLong = byLong
        self.byShort = byShort
    }

    static func of<Command: ParsableCommand>(_ command: Command.Type) throws -> ArgumentTable {
        try ArgumentTable(json: command._dumpHelp())
    }

    /// The arguments read before the whole table (5 ms to build) is known to be needed: the
    /// templates to read and --generate-config (TemplateFlags).
    static let beforeTemplates = ArgumentTable(arguments: [
        Argument(kind: "option", names: [Argument.Name(kind: "short", name: "t"), Argument.Name(kind: "long", name: "template")], isRepeating: true),
        Argument(kind: "flag", names: [Argument.Name(kind: "long", name: "generate-config")], isRepeating: false),
    ])

    func argument(long name: String) -> Argument? { byLong[name] }

    /// A long name spelt with the other separator (`max-file-size` for `max_file_size`), for the
    /// error of a key that is not one.
    func suggestion(for key: String) -> String? {
        let swapped = [key.replacingOccurrences(of: "-", with: "_"), key.replacingOccurrences(of: "_", with: "-")]
        return swapped.first { $0 != key && byLong[$0] != nil }
    }

    /// The settings a command line gives, by long name in the order they come, with their values
    /// (none for a flag). Tokens it does not know are left to the parser, which reports them.
    func settings(in arguments: [String]) -> [(key: String, values: [String])] {
        var found: [(key: String, values: [String])] = []
        func note(_ key: String, _ value: String?) {
            if let index = found.firstIndex(where: { $0.key == key }) {
                if let value { found[index].values.append(value) }
            } else {
                found.append((key, value.map { [$0] } ?? []))
            }
        }
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if token == "--" { break }
            let argument: Argument?
            var inlineValue: String?
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                if body.contains("=") { inlineValue = String(body.drop { $0 != "=" }.dropFirst()) }
                argument = byLong[name]
            } else if token.hasPrefix("-"), token.count == 2 {
                argument = byShort[String(token.dropFirst())]
            } else {
                continue
            }
            guard let argument, let key = argument.long else { continue }
            if argument.isFlag {
                note(key, nil)
            } else if let inlineValue {
                note(key, inlineValue)
            } else if index < arguments.count {
                note(key, arguments[index])
                index += 1
            }
        }
        return found
    }
}
