/// The fields of one record that each IOC of one kind was found in: one group per IOC (named by its
/// position in its list, e.g. `KeywordIOCs.keywords`), groups in first-seen order, fields in the
/// order they were added. THOR reports a keyword or C2 IOC once per record with all its fields.
public struct IOCHitGroups {
    public struct Group {
        public let ioc: Int
        public fileprivate(set) var fields: [(key: String, value: String)]
    }

    public private(set) var groups: [Group] = []
    /// IOC position → its group.
    private var groupOf: [Int: Int] = [:]

    public init() {}

    /// Records that the IOCs at `iocs` were found in the field `key` with `value`.
    public mutating func add(_ iocs: [Int], key: String, value: String) {
        for ioc in iocs {
            if let g = groupOf[ioc] {
                groups[g].fields.append((key, value))
            } else {
                groupOf[ioc] = groups.count
                groups.append(Group(ioc: ioc, fields: [(key, value)]))
            }
        }
    }
}
