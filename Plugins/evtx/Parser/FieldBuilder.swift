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

    struct Frame {
        var name: String
        var section: Section
        var attrs: [(String, String)] = []
        var text = ""
        var items: [String] = []
        var hasChildren = false
    }

    static let maxNesting = 16        // template instances and nested BinXML values
    static let maxElementDepth = 128
    static let maxSteps = 1_000_000   // ops replayed per record
    static let maxTextBytes = 16 << 20

    private(set) var fields: [EventField] = []
    private(set) var timeCreated: UInt64?
    private var stack: [Frame] = []
    private var attrName: String?
    private var attrValue = ""
    private var steps = 0
    private var textBytes = 0
    let context: ChunkContext

    init(context: ChunkContext) {
        self.context = context
        fields.reserveCapacity(32)
        stack.reserveCapacity(8)
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
                stack.append(Frame(name: name, section: section))
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
                stack[stack.count - 1].items.append(contentsOf: items)
            }
        case .binxml(let start, let end):
            // Nested BinXML makes sense only as element content; in an attribute it is dropped.
            guard attrName == nil else { return }
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
        if !attrValue.isEmpty, !stack.isEmpty { stack[stack.count - 1].attrs.append((n, attrValue)) }
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

    /// Attributes become fields when the start tag ends, so fields keep document order.
    private mutating func emitAttributes() {
        guard let f = stack.last, !f.attrs.isEmpty else { return }
        let level = stack.count - 1
        switch f.section {
        case .system where level == 2:
            for (a, v) in f.attrs {
                emit(f.name == "TimeCreated" && a == "SystemTime" ? "TimeCreated" : f.name + "_" + a, v)
            }
        // Other elements (UserData, CAPI2 and the like) carry data in attributes too.
        case .data where level >= 2 && !(f.name == "Data" && f.attrs.contains(where: { $0.0 == "Name" })):
            for (a, v) in f.attrs where !FieldBuilder.isNamespace(a) { emit(f.name + "_" + a, v) }
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
            if level == 2 {
                if leaf { emitValues(f.name, f) }
            } else if level > 2 && leaf {
                emitValues(f.name, f)
            }
        case .data:
            // The section element itself (`<EventData/>`) is a field only when it holds text.
            if level == 1 {
                if leaf { emitValues(f.name, f) }
                return
            }
            if f.name == "Data", let n = f.attrs.first(where: { $0.0 == "Name" })?.1 {
                if leaf { emitValues(n, f, keepEmpty: true) }
                return
            }
            if leaf { emitValues(f.name, f, keepEmpty: f.attrs.isEmpty) }
        case .rendering:
            if level >= 2 && leaf { emitValues("RenderingInfo_" + f.name, f) }
        }
    }

    private mutating func emitValues(_ key: String, _ f: Frame, keepEmpty: Bool = false) {
        if !f.items.isEmpty {
            if !f.text.isEmpty { emit(key, f.text) }
            for s in f.items { emit(key, s) }
        } else if keepEmpty || !f.text.isEmpty {
            emit(key, f.text)
        }
    }

    private mutating func emit(_ key: String, _ value: String) {
        var name = key
        if fields.contains(where: { $0.name == key }) {
            var n = 1
            while fields.contains(where: { $0.name == key + "_\(n)" }) { n += 1 }
            name = key + "_\(n)"
        }
        fields.append(EventField(name: name, value: value))
    }
}
