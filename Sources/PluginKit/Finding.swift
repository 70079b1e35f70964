import PluginABI

/// One matched string of a finding.
public struct Match {
    public var identifier: String
    public var offset: UInt64
    public var data: [UInt8]
    public var context: [UInt8]
    public var field: String

    public init(identifier: String, offset: UInt64 = 0, data: [UInt8] = [], context: [UInt8] = [], field: String = "") {
        self.identifier = identifier
        self.offset = offset
        self.data = data
        self.context = context
        self.field = field
    }
}

/// A signature that matched the object being scanned.
public struct Finding {
    public var ruleName: String
    public var description: String = ""
    public var reference: String = ""
    public var author: String = ""
    public var date: String = ""
    public var sigClass: String
    public var sigType: String = "internal"
    public var score: Int32
    public var tags: [String] = []
    public var matches: [Match] = []
    public var extra: [(key: String, value: String)] = []

    public init(ruleName: String, sigClass: String, score: Int32) {
        self.ruleName = ruleName
        self.sigClass = sigClass
        self.score = score
    }

    func withCStruct<R>(_ body: (UnsafePointer<thor_finding>) -> R) -> R {
        let arena = StringArena()
        let cMatches = matches.map { m in
            thor_match(struct_size: UInt32(MemoryLayout<thor_match>.size),
                       identifier: arena.str(m.identifier), offset: m.offset,
                       data: arena.bytes(m.data), context: arena.bytes(m.context), field: arena.str(m.field))
        }
        let cExtra = extra.map { thor_kv(key: arena.str($0.key), value: arena.str($0.value)) }
        let cTags = tags.map { arena.str($0) }
        let finding = thor_finding(
            struct_size: UInt32(MemoryLayout<thor_finding>.size),
            rule_name: arena.str(ruleName), description: arena.str(description),
            reference: arena.str(reference), author: arena.str(author), date: arena.str(date),
            sig_class: arena.str(sigClass), sig_type: arena.str(sigType), score: score,
            tags: arena.array(cTags), n_tags: cTags.count,
            matches: arena.array(cMatches), n_matches: cMatches.count,
            extra: arena.array(cExtra), n_extra: cExtra.count)
        return withExtendedLifetime(arena) { body(arena.pointer(finding)) }
    }
}

/// An object a parser module hands back to the pipeline (an event of a log, a member of an archive).
public struct ChildObject {
    public var kind: thor_object_kind
    public var path: String
    public var name: String
    public var type: String = ""
    public var fields: [(key: String, value: String)] = []
    public var content: [UInt8]? = nil

    public init(kind: thor_object_kind, path: String, name: String) {
        self.kind = kind
        self.path = path
        self.name = name
    }
}
