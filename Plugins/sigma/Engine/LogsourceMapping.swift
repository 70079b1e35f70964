import Yams

/// The Sigma log-source mapping (`config/sigma.yml`, THOR's format): which Eventlog channels and
/// conditions a rule's `logsource` (category / product / service) stands for.
public struct LogsourceMapping {
    public struct Variant {
        /// Channels the rule applies to; empty = any channel.
        public var channels: [String]
        /// `EventID` values the log source implies; nil = any.
        public var eventIDs: [String]?
        /// Other field conditions the log source implies (e.g. `EventType: CreateKey`).
        public var conditions: [(field: String, values: [String])]
        /// Sigma field name → event field name (e.g. `Image` → `NewProcessName` for Security 4688).
        public var fieldMappings: [String: String]
        /// Names of the mapping entries that produced this variant, for messages.
        public var label: String
    }

    struct Entry {
        var name: String
        var category: String?
        var product: String?
        var service: String?
        var conditions: [(field: String, values: [String])]
        var rewrite: (category: String?, product: String?, service: String?)?
        var fieldMappings: [String: String]
        var channels: [String]
        var otherSources: Bool
    }

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case noLogsources(String)
        case badEntry(String)

        public var description: String {
            switch self {
            case .unreadable(let m): return "could not parse sigma log sources: \(m)"
            case .noLogsources(let f): return "could not parse sigma log sources \(f) ERROR: no logsources element found"
            case .badEntry(let m): return "could not parse sigma log sources: \(m)"
            }
        }
    }

    let entries: [Entry]

    public init(yaml: String, origin: String = "sigma.yml") throws {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw LoadError.unreadable("\(origin): \(error)") }
        guard let root, let logsources = root[key: "logsources"], case .mapping(let map) = logsources else {
            throw LoadError.noLogsources(origin)
        }
        var entries: [Entry] = []
        for (nameNode, body) in map {
            guard let name = nameNode.scalarText, case .mapping = body else {
                throw LoadError.badEntry("\(origin): entry \(nameNode.scalarText ?? "?") is not a map")
            }
            var conditions: [(String, [String])] = []
            if case .mapping(let conds)? = body[key: "conditions"] {
                for (k, v) in conds {
                    guard let field = k.scalarText else { continue }
                    conditions.append((field, v.stringList))
                }
            }
            var rewrite: (String?, String?, String?)?
            if let rw = body[key: "rewrite"] {
                rewrite = (rw[key: "category"]?.scalarText, rw[key: "product"]?.scalarText, rw[key: "service"]?.scalarText)
            }
            var fieldMappings: [String: String] = [:]
            if case .mapping(let fm)? = body[key: "fieldmappings"] {
                for (k, v) in fm { if let a = k.scalarText, let b = v.scalarText { fieldMappings[a] = b } }
            }
            let sources = body[key: "sources"]?.stringList ?? []
            let prefix = "WinEventLog:"
            entries.append(Entry(
                name: name, category: body[key: "category"]?.scalarText, product: body[key: "product"]?.scalarText,
                service: body[key: "service"]?.scalarText, conditions: conditions, rewrite: rewrite,
                fieldMappings: fieldMappings,
                channels: sources.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) },
                otherSources: sources.contains { !$0.hasPrefix(prefix) }))
        }
        self.entries = entries
    }

    public static func load(path: String) throws -> LogsourceMapping {
        guard let data = FileReader.read(path) else {
            throw LoadError.unreadable("\(path): cannot read file")
        }
        return try LogsourceMapping(yaml: String(decoding: data, as: UTF8.self), origin: path)
    }

    /// An entry applies when every key it names equals the rule's (keys it leaves out are ignored) and it
    /// names at least one.
    private static func applies(_ e: Entry, category: String?, product: String?, service: String?) -> Bool {
        var named = 0
        for (mine, theirs) in [(e.category, category), (e.product, product), (e.service, service)] {
            guard let mine else { continue }
            named += 1
            if mine != theirs { return false }
        }
        return named > 0
    }

    /// The variants a rule's log source maps to; nil when nothing maps it. A rule that names only a
    /// product (no category, no service) applies to every event of that product.
    public func variants(category: String?, product: String?, service: String?) -> [Variant]? {
        let found = resolve(category: category, product: product, service: service, depth: 0)
        if found.isEmpty {
            guard category == nil, service == nil else { return nil }
            return [Variant(channels: [], eventIDs: nil, conditions: [], fieldMappings: [:], label: "product only")]
        }
        return found
    }

    private func resolve(category: String?, product: String?, service: String?, depth: Int) -> [Variant] {
        guard depth < 4 else { return [] }
        var out: [Variant] = []
        for e in entries where LogsourceMapping.applies(e, category: category, product: product, service: service) {
            let eventIDs = e.conditions.first { $0.field == "EventID" }?.values
            let others = e.conditions.filter { $0.field != "EventID" }
            if let rw = e.rewrite {
                // A rewrite turns the generic log source into a concrete one, which maps to channels.
                for sub in resolve(category: rw.category, product: rw.product, service: rw.service, depth: depth + 1) {
                    out.append(Variant(channels: sub.channels, eventIDs: LogsourceMapping.intersect(eventIDs, sub.eventIDs),
                                       conditions: others + sub.conditions,
                                       fieldMappings: sub.fieldMappings.merging(e.fieldMappings) { _, mine in mine },
                                       label: e.name + ">" + sub.label))
                }
            } else if !e.channels.isEmpty || !e.otherSources {
                out.append(Variant(channels: e.channels, eventIDs: eventIDs, conditions: others,
                                   fieldMappings: e.fieldMappings, label: e.name))
            }
        }
        return out
    }

    static func intersect(_ a: [String]?, _ b: [String]?) -> [String]? {
        guard let a else { return b }
        guard let b else { return a }
        return a.filter { b.contains($0) }
    }
}
