/// What a rule says about itself (everything but the detection logic).
public struct SigmaRule: Sendable {
    public var title: String
    public var id: String
    public var status: String?
    public var description: String?
    public var references: [String]
    public var tags: [String]
    public var author: String?
    public var date: String?
    public var modified: String?
    public var falsePositives: [String]
    public var level: SigmaLevel
    /// The rule's logsource keys as written.
    public var category: String?
    public var product: String?
    public var service: String?
    /// The file the rule was loaded from.
    public var file: String
}

/// One rule that fired on one event.
public struct SigmaMatch: Sendable {
    public var rule: SigmaRule
    /// The fields the matching (non-negated) selections tested, with the event's values, in event order.
    public var matchedFields: [(name: String, value: String)]
    /// Which log-source mapping variant matched (e.g. `process_creation_1>windows-sysmon`).
    public var logsource: String

    public var subScore: Int { rule.level.subScore }
}
