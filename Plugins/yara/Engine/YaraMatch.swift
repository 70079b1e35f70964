/// One matched string of a rule: where it matched, the matched bytes and the bytes around them.
public struct MatchedString: Sendable, Equatable {
    public let identifier: String
    public let offset: UInt64
    /// The matched bytes (libyara keeps at most YR_CONFIG_MAX_MATCH_DATA of them).
    public let data: [UInt8]
    /// Up to `contextBytes` bytes before and after the match, with the match in between.
    public let context: [UInt8]
}

/// One rule that matched one object.
public struct YaraMatch: Sendable {
    /// Index into `YaraRules.rules`.
    public let ruleIndex: Int
    public let strings: [MatchedString]
}

public struct YaraScanResult: Sendable {
    public let matches: [YaraMatch]
    /// The scan hit --yara-timeout; `matches` holds what was found before that.
    public let timedOut: Bool
}
