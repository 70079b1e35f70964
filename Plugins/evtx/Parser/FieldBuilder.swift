/// Replays compiled BinXML against substitution values and turns the resulting XML shape
/// into flat event fields:
/// - `System/X` text becomes `X`; its attributes become `X_Attr` (`Provider_Name`,
///   `Execution_ProcessID`, `Security_UserID`), except `TimeCreated/@SystemTime` = `TimeCreated`.
/// - In `EventData`, `UserData` and other sections every leaf element becomes one field named
///   by its `Name` attribute (`<Data Name="X">`) or else by the element (`Data`, `Binary`, ...);
///   attributes of other elements become `Elem_Attr` (namespace declarations are dropped).
/// - `RenderingInfo` leaves (forwarded events) are prefixed `RenderingInfo_`.
/// Repeated names get `_1`, `_2`, ... (`Data`, `Data_1`).
struct FieldBuilder {
    enum Section { case root, system, data, rendering }

    /// An open element. Its attributes and array items live in the builder's shared
    /// `attrs`/`items` stacks from these start indexes on, so elements allocate nothing.
    struct Frame {
        var name: String
        var section: Section
        var attrStart: Int
        var itemStart: Int
        var text = ""
        var hasChildren = false
    }

    static let maxNesting = 16        // template instances and nested BinXML values
    static let maxElementDepth = 128
    static let maxSteps = 1_000_000   // ops replayed per record
    static let maxTextBytes = 16 << 20

    private(set) var fields: [EventField] = []
    private(set) var timeCreated: UInt64?
    private var stack: [Frame] = []
    private var attrs: [(name: String, value: String)] = []
    private var items: [String] = []
    private var attrName: String?
    private var attrValue = ""
    private var nameMask: UInt64 = 0
    /// Hashes of the names in `fields`, index for index.
    private var nameHashes: [UInt64] = []
    private var nextSuffix: [String: Int] = [:]
    private var steps = 0
    private var textBytes = 0
    let context: ChunkContext

    init(context: ChunkContext) {
        self.context = context
        stack.reserveCapacity(8)
        attrs.reserveCapacity(8)
    }

    /// Prepares for the next record, keeping the capacity of the working stacks.
    mutating func reset() {
        fields = []
        fields.reserveCapacity(32)
        timeCreated = nil
        stack.removeAll(keepingCapacity: true)
        attrs.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
        attrName = nil
        attrValue = ""
        nameMask = 0
        nameHashes.removeAll(keepingCapacity: true)
        if !nextSuffix.isEmpty { nextSuffix.removeAll(keepingCapacity: true) }
        steps = 0
        textBytes = 0
    }

    mutating func run(_ ops: [BinXMLOp], _ values: [SubstitutionValue], nesting: Int) throws {
        guard nesting <= FieldBuilder.maxNesting else { throw EVTXParseError.limit("BinXML nested too deeply") }
        steps += ops.count
        guard steps <= FieldBuilder.maxSteps else { throw EVTXParseError.limit("record expands to too many nodes") }
        for op in ops {
            switch op {
            case .open(let name):
                finishAttribute()
                guard stack.count < FieldBuilder.maxElementDepth else { throw EVTXParseError.limit("elements nested too deeply") }
                let section: Section
                if stack.isEmpty {
                    section = .root
                } else {
                    stack[stack.count - 1].hasChildren = true
                    section = stack.count == 1 ? FieldBuilder.section(of: name) : stack[stack.count - 1].section
                }
                stack.append(Frame(name: name, section: section, attrStart: attrs.count, itemStart: items.count))
            case .attribute(let name):
                finishAttribute()
                attrName = name
            case .closeStart:
                finishAttribute()
                emitAttributes()
            case .closeEmpty:
                finishAttribute()
                emitAttributes()
                closeElement()
            case .end:
                finishAttribute()
                closeElement()
            case .text(let s):
                try append(s)
            case .substitution(let index, _):
                guard index < values.count else { continue }
                try substitute(values[index], nesting: nesting)
            case .instance(let tops, let tvalues):
                try run(tops, tvalues, nesting: nesting + 1)
            }
        }
    }

    private mutating func substitute(_ v: SubstitutionValue, nesting: Int) throws {
        switch v {
        case .null:
            return
        case .text(let s):
            try append(s)
        case .time(let s, let ft):
            if attrName == "SystemTime", stack.last?.name == "TimeCreated" { timeCreated = ft }
            try append(s)
        case .array(let items):
            if attrName != nil || stack.isEmpty {
                try append(items.joined(separator: ","))
            } else {
                for s in items { textBytes += s.utf8.count }
                guard textBytes <= FieldBuilder.maxTextBytes else { throw EVTXParseError.limit("record text too large") }
                self.items.append(contentsOf: items)
            }
        case .binxml(let start, let end):
            // Nested BinXML makes sense only as element content; in an attribute it is dropped.
            guard attrName == nil else { return }
            // Compiling counts against the budget too: a template may name one value many times.
            steps += end - start
            guard steps <= FieldBuilder.maxSteps else { throw EVTXParseError.limit("record expands to too many nodes") }
            let ops = try context.compile(from: start, to: end, inTemplate: false)
            try run(ops, [], nesting: nesting + 1)
        }
    }

    private mutating func append(_ s: String) throws {
        textBytes += s.utf8.count
        guard textBytes <= FieldBuilder.maxTextBytes else { throw EVTXParseError.limit("record text too large") }
        if attrName != nil {
            attrValue += s
        } else if !stack.isEmpty {
            stack[stack.count - 1].text += s
        }
    }

    private mutating func finishAttribute() {
        guard let n = attrName else { return }
        if !attrValue.isEmpty, !stack.isEmpty { attrs.append((n, attrValue)) }
        attrName = nil
        attrValue = ""
    }

    static func isNamespace(_ attr: String) -> Bool {
        attr == "xmlns" || attr.hasPrefix("xmlns:")
    }

    static func section(of name: String) -> Section {
        switch name {
        case "System": return .system
        case "RenderingInfo": return .rendering
        default: return .data
        }
    }

    /// The `Name` attribute of the open element at `f`, if any.
    private func nameAttribute(_ f: Frame) -> String? {
        var i = f.attrStart
        while i < attrs.count {
            if attrs[i].name == "Name" { return attrs[i].value }
            i += 1
        }
        return nil
    }

    /// Attributes become fields when the start tag ends, so fields keep document order.
    private mutating func emitAttributes() {
        guard let f = stack.last, attrs.count > f.attrStart else { return }
        let level = stack.count - 1
        switch f.section {
        case .system where level == 2:
            for i in f.attrStart..<attrs.count {
                let (a, v) = attrs[i]
                emit(f.name == "TimeCreated" && a == "SystemTime" ? "TimeCreated" : f.name + "_" + a, v)
            }
        // Other elements (UserData, CAPI2 and the like) carry data in attributes too.
        case .data where level >= 2 && !(f.name == "Data" && nameAttribute(f) != nil):
            for i in f.attrStart..<attrs.count where !FieldBuilder.isNamespace(attrs[i].name) {
                emit(f.name + "_" + attrs[i].name, attrs[i].value)
            }
        default:
            break
        }
    }

    private mutating func closeElement() {
        guard let f = stack.popLast() else { return }
        let level = stack.count
        let leaf = !f.hasChildren
        switch f.section {
        case .root:
            if leaf { emitValues(f.name, f) }
        case .system:
            if level >= 2 && leaf { emitValues(f.name, f) }
        case .data:
            // The section element itself (`<EventData/>`) is a field only when it holds text.
            if level == 1 {
                if leaf { emitValues(f.name, f) }
            } else if f.name == "Data", let n = nameAttribute(f) {
                if leaf { emitValues(n, f, keepEmpty: true) }
            } else if leaf {
                emitValues(f.name, f, keepEmpty: attrs.count == f.attrStart)
            }
        case .rendering:
            if level >= 2 && leaf { emitValues("RenderingInfo_" + f.name, f) }
        }
        // Guarded: removing an empty range from an empty array still reallocates it.
        if attrs.count > f.attrStart { attrs.removeSubrange(f.attrStart...) }
        if items.count > f.itemStart { items.removeSubrange(f.itemStart...) }
    }

    private mutating func emitValues(_ key: String, _ f: Frame, keepEmpty: Bool = false) {
        if items.count > f.itemStart {
            if !f.text.isEmpty { emit(key, f.text) }
            for i in f.itemStart..<items.count { emit(key, items[i]) }
        } else if keepEmpty || !f.text.isEmpty {
            emit(key, f.text)
        }
    }

    /// Appends a field, renaming repeats. Names are compared by a 64-bit hash first (and a
    /// mask of hash bits answers "certainly new" for most names without any scan).
    private mutating func emit(_ key: String, _ value: String) {
        let h = FieldBuilder.hash(key)
        if nameMask & (1 << (h & 63)) == 0 || !isUsed(key, h) {
            add(key, h, value)
            return
        }
        var n = nextSuffix[key, default: 1]
        var name = key + "_" + String(n)
        var nh = FieldBuilder.hash(name)
        while isUsed(name, nh) {
            n += 1
            name = key + "_" + String(n)
            nh = FieldBuilder.hash(name)
        }
        nextSuffix[key] = n + 1
        add(name, nh, value)
    }

    private mutating func add(_ name: String, _ h: UInt64, _ value: String) {
        nameMask |= 1 << (h & 63)
        nameHashes.append(h)
        fields.append(EventField(name: name, value: value))
    }

    private func isUsed(_ name: String, _ h: UInt64) -> Bool {
        for i in 0..<nameHashes.count where nameHashes[i] == h && fields[i].name == name { return true }
        return false
    }

    /// FNV-1a over the UTF-8 of a name (through a pointer: iterating `utf8` is far slower).
    @inline(__always)
    static func hash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { u in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in u { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }
    }
}
