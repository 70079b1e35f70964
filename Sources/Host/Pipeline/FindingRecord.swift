import PluginABI
import PluginKit

/// A finding as the host keeps it: the module's `thor_finding`, copied.
public struct FindingRecord: Sendable, Equatable {
    public struct MatchedString: Sendable, Equatable {
        public init(identifier: String, offset: UInt64, data: [UInt8], context: [UInt8], field: String) {
            self.identifier = identifier
            self.offset = offset
            self.data = data
            self.context = context
            self.field = field
        }

        public var identifier: String
        public var offset: UInt64
        public var data: [UInt8]
        public var context: [UInt8]
        public var field: String
    }

    public var module: String
    public var ruleName: String
    public var description: String
    public var reference: String
    public var author: String
    public var date: String
    public var sigClass: String
    public var sigType: String
    public var score: Int
    public var tags: [String]
    public var matches: [MatchedString]
    public var extra: [KeyValue]

    public struct KeyValue: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    public init(module: String, ruleName: String, description: String, reference: String, author: String, date: String,
                sigClass: String, sigType: String, score: Int, tags: [String], matches: [MatchedString], extra: [KeyValue]) {
        self.module = module
        self.ruleName = ruleName
        self.description = description
        self.reference = reference
        self.author = author
        self.date = date
        self.sigClass = sigClass
        self.sigType = sigType
        self.score = score
        self.tags = tags
        self.matches = matches
        self.extra = extra
    }

    init(module: String, copying f: thor_finding) {
        self.module = module
        ruleName = f.rule_name.string
        description = f.description.string
        reference = f.reference.string
        author = f.author.string
        date = f.date.string
        sigClass = f.sig_class.string
        sigType = f.sig_type.string.isEmpty ? "internal" : f.sig_type.string
        score = Int(max(-1000, min(100, f.score)))
        tags = Self.strings(f.tags, f.n_tags)
        matches = []
        if let m = f.matches {
            matches = (0..<f.n_matches).map { i in
                MatchedString(identifier: m[i].identifier.string, offset: m[i].offset,
                              data: Array(m[i].data.rawBytes), context: Array(m[i].context.rawBytes),
                              field: m[i].field.string)
            }
        }
        extra = []
        if let kv = f.extra {
            extra = (0..<f.n_extra).map { KeyValue(key: kv[$0].key.string, value: kv[$0].value.string) }
        }
    }

    private static func strings(_ p: UnsafePointer<thor_str>?, _ n: Int) -> [String] {
        guard let p else { return [] }
        return (0..<n).map { p[$0].string }
    }
}
