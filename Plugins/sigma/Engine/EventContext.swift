/// The current event, indexed for the rules: field values by slot (a number per field name any rule
/// uses), with the case-folded bytes computed once per field and only when a rule needs them.
final class EventContext {
    private let fieldTable: FieldTable
    private(set) var names: [String] = []
    private(set) var values: [String?] = []
    private var lowerCache: [[UInt8]?] = []
    private var rawCache: [[UInt8]?] = []
    /// Slot → index in `values`, valid only when `slotGeneration[slot] == generation`.
    private var slotEntry: [Int]
    private var slotGeneration: [UInt32]
    private var generation: UInt32 = 0
    private var unmatched: [Int] = []

    init(fieldTable: FieldTable) {
        self.fieldTable = fieldTable
        slotEntry = Array(repeating: 0, count: fieldTable.count)
        slotGeneration = Array(repeating: 0, count: fieldTable.count)
    }

    /// Loads an event. Exact field names win; a name that differs only in case fills a slot no exact
    /// name filled (SigmaHQ rules and event producers disagree on e.g. `ProcessId`/`ProcessID`).
    func load(_ event: SigmaEvent) {
        names.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        lowerCache.removeAll(keepingCapacity: true)
        rawCache.removeAll(keepingCapacity: true)
        unmatched.removeAll(keepingCapacity: true)
        generation &+= 1
        if generation == 0 {
            // Wrapped around: old stamps could collide with the new generation.
            for i in slotGeneration.indices { slotGeneration[i] = 0 }
            generation = 1
        }
        event.forEachField { name, value in
            let index = values.count
            names.append(name)
            values.append(value)
            if let slot = fieldTable.exactSlot(name) {
                if slotGeneration[slot] != generation { slotGeneration[slot] = generation; slotEntry[slot] = index }
            } else {
                unmatched.append(index)
            }
        }
        for index in unmatched {
            guard let slot = fieldTable.caseInsensitiveSlot(names[index]) else { continue }
            if slotGeneration[slot] != generation { slotGeneration[slot] = generation; slotEntry[slot] = index }
        }
        lowerCache = Array(repeating: nil, count: values.count)
        rawCache = Array(repeating: nil, count: values.count)
    }

    /// Index of the event field bound to `slot`, nil when the event lacks it.
    @inline(__always)
    func entry(_ slot: Int) -> Int? {
        slotGeneration[slot] == generation ? slotEntry[slot] : nil
    }

    func string(_ entry: Int) -> String? { values[entry] }

    /// Case-folded UTF-8 of a field value (nil value → nil).
    func lowered(_ entry: Int) -> [UInt8]? {
        if let cached = lowerCache[entry] { return cached }
        guard let v = values[entry] else { return nil }
        let bytes = CaseFolding.lower(v)
        lowerCache[entry] = bytes
        return bytes
    }

    func raw(_ entry: Int) -> [UInt8]? {
        if let cached = rawCache[entry] { return cached }
        guard let v = values[entry] else { return nil }
        let bytes = Array(v.utf8)
        rawCache[entry] = bytes
        return bytes
    }

    var fieldCount: Int { values.count }
}
