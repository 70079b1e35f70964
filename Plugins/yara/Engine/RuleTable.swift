import CYara
import Foundation

/// The THOR view of each rule of a compiled set, indexed like libyara's rules table; it owns the
/// compiled rules. A rule's name and metadata become Swift values the first time they are asked
/// for, which is mostly when it matches: converting all of signature-base's 5,883 rules up front
/// was an eighth of every worker's start, and their strings stayed in its memory.
public final class RuleTable: RandomAccessCollection, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<YR_RULES>
    private var converted: [RuleInfo?]
    private let lock = NSLock()

    public let startIndex = 0
    public let endIndex: Int

    init(_ pointer: UnsafeMutablePointer<YR_RULES>) {
        self.pointer = pointer
        endIndex = Int(cyara_rule_count(pointer))
        converted = Array(repeating: nil, count: endIndex)
    }

    deinit { yr_rules_destroy(pointer) }

    public subscript(index: Int) -> RuleInfo {
        lock.lock()
        defer { lock.unlock() }
        if let info = converted[index] { return info }
        let info = RuleInfo(cyara_rule_at(pointer, UInt32(index)))
        converted[index] = info
        return info
    }

    /// Rules that are not private, counted without converting any.
    public var publicCount: Int {
        (0..<endIndex).reduce(0) { $0 + (cyara_rule_is_private(cyara_rule_at(pointer, UInt32($1))) == 0 ? 1 : 0) }
    }
}
