import CYara

/// What THOR reads from a rule: name, tags and the meta keys it interprets (thor-spec 4.3).
public struct RuleInfo: Sendable {
    public static let defaultScore = 75

    public let name: String
    public let namespace: String
    public let tags: [String]
    public let score: Int
    public let description: String
    public let author: String
    public let reference: String
    public let date: String
    /// `falsepositive = 1`: the score lowers the total instead of raising it.
    public let falsePositive: Bool
    public let isPrivate: Bool
    /// THOR's `type` meta: "memory" or "file" limit a rule to that kind of object; "" = both.
    public let objectType: String
    /// Every meta as text, in rule order (integers in decimal, booleans as "true"/"false").
    public let metas: [(key: String, value: String)]

    init(_ rule: UnsafePointer<YR_RULE>) {
        name = cyara_rule_identifier(rule).map { String(cString: $0) } ?? ""
        namespace = cyara_rule_namespace(rule).map { String(cString: $0) } ?? ""
        isPrivate = cyara_rule_is_private(rule) != 0
        var tags: [String] = []
        var tag = cyara_rule_first_tag(rule)
        while let t = tag {
            tags.append(String(cString: t))
            tag = cyara_next_tag(t)
        }
        self.tags = tags
        var metas: [(key: String, value: String)] = []
        var meta = cyara_rule_first_meta(rule)
        while let m = meta {
            let key = cyara_meta_identifier(m).map { String(cString: $0) } ?? ""
            let value: String
            switch m.pointee.type {
            case META_TYPE_STRING: value = cyara_meta_string(m).map { String(cString: $0) } ?? ""
            case META_TYPE_BOOLEAN: value = m.pointee.integer != 0 ? "true" : "false"
            default: value = String(m.pointee.integer)
            }
            metas.append((key, value))
            meta = cyara_next_meta(m)
        }
        self.metas = metas
        func first(_ key: String) -> String? { metas.first { $0.key.lowercased() == key }?.value }
        // THOR's scores are 0...100 and never negative in meta; anything else gets the default.
        if let text = first("score"), let value = Int(text.trimmingCharacters(in: .whitespaces)), (0...100).contains(value) {
            score = value
        } else {
            score = RuleInfo.defaultScore
        }
        description = first("description") ?? ""
        author = first("author") ?? ""
        reference = first("reference") ?? ""
        date = first("date") ?? ""
        objectType = (first("type") ?? "").lowercased()
        let fp = first("falsepositive")
        falsePositive = fp == "1" || fp == "true"
    }
}
