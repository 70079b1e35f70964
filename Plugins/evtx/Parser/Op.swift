/// One step of compiled BinXML, plain data so replaying it costs no reference counting.
/// Template definitions are compiled once per chunk and replayed for every record that
/// instantiates them; a record's own stream is compiled per record.
struct Op {
    enum Kind: UInt8 {
        case open, attribute, closeStart, closeEmpty, end, text, substitution, instance
        /// Fused: a marker before the ops of a common shape, which stay in place after it.
        case leaf               // open closeStart substitution end
        case namedLeaf          // open attribute text closeStart substitution end
        case emptyAttribute     // open attribute substitution closeEmpty
        case emptyAttributes2   // open attribute substitution attribute substitution closeEmpty

        /// How many ops follow a fused marker.
        var fusedCount: Int {
            switch self {
            case .leaf, .emptyAttribute: return 4
            case .namedLeaf, .emptyAttributes2: return 6
            default: return 0
            }
        }

        static let fusedShapes: [(Kind, [Kind])] = [
            (.namedLeaf, [.open, .attribute, .text, .closeStart, .substitution, .end]),
            (.emptyAttributes2, [.open, .attribute, .substitution, .attribute, .substitution, .closeEmpty]),
            (.leaf, [.open, .closeStart, .substitution, .end]),
            (.emptyAttribute, [.open, .attribute, .substitution, .closeEmpty]),
        ]
    }

    var kind: Kind
    /// open: name id. attribute: name id. text: `TextRef.start`. substitution: value index.
    /// instance: template id.
    var a: UInt32 = 0
    /// attribute: name id of the element it was compiled after (`none` if unknown).
    /// text: `TextRef.count`. instance: index of its first value slot.
    var b: UInt32 = 0
    /// attribute: name id of the key `Element_Attribute` (`none` if not precomputed).
    /// text: name id of a template literal (`none` in streams). instance: number of value slots.
    var c: UInt32 = 0

    static let none = UInt32.max

    /// `ops` with a fused marker before every run of a shape in `Kind.fusedShapes`.
    static func fused(_ ops: ArraySlice<Op>) -> [Op] {
        var out = [Op]()
        out.reserveCapacity(ops.count + ops.count / 3)
        var i = ops.startIndex
        while i < ops.endIndex {
            var marker: Kind?
            // Shapes all start with `open`; the longest that fits wins.
            if ops[i].kind == .open {
                for (kind, shape) in Kind.fusedShapes where ops.endIndex - i >= shape.count {
                    var k = 1
                    while k < shape.count && ops[i + k].kind == shape[k] { k += 1 }
                    if k == shape.count { marker = kind; break }
                }
            }
            if let marker {
                out.append(Op(kind: marker))
                out.append(contentsOf: ops[i..<(i + marker.fusedCount)])
                i += marker.fusedCount
            } else {
                out.append(ops[i])
                i += 1
            }
        }
        return out
    }
}

/// What the field builder needs to know about a name, computed once per chunk.
struct NameFlags: OptionSet {
    let rawValue: UInt8
    static let system = NameFlags(rawValue: 1)        // "System"
    static let rendering = NameFlags(rawValue: 2)     // "RenderingInfo"
    static let name = NameFlags(rawValue: 4)          // "Name"
    static let data = NameFlags(rawValue: 8)          // "Data"
    static let namespace = NameFlags(rawValue: 16)    // "xmlns", "xmlns:*"
    static let systemTime = NameFlags(rawValue: 32)   // "SystemTime"
    static let timeCreated = NameFlags(rawValue: 64)  // "TimeCreated"

    /// The flags of a name given as UTF-8.
    static func of(_ s: UnsafeRawBufferPointer) -> NameFlags {
        func equals(_ lit: StaticString) -> Bool {
            s.count == lit.utf8CodeUnitCount && memcmpEqual(s, lit)
        }
        var f: NameFlags = []
        if equals("System") { f.insert(.system) }
        if equals("RenderingInfo") { f.insert(.rendering) }
        if equals("Name") { f.insert(.name) }
        if equals("Data") { f.insert(.data) }
        if equals("SystemTime") { f.insert(.systemTime) }
        if equals("TimeCreated") { f.insert(.timeCreated) }
        if equals("xmlns") || (s.count >= 6 && memcmpEqual(UnsafeRawBufferPointer(rebasing: s[0..<6]), "xmlns:")) {
            f.insert(.namespace)
        }
        return f
    }

    private static func memcmpEqual(_ s: UnsafeRawBufferPointer, _ lit: StaticString) -> Bool {
        let l = UnsafeRawBufferPointer(start: lit.utf8Start, count: lit.utf8CodeUnitCount)
        return s.count == l.count && s.elementsEqual(l)
    }
}

/// A name or field key of the chunk: its UTF-8 in the shared strings, hash and flags.
struct NameInfo {
    var text: TextRef
    var hash: UInt64
    var flags: NameFlags
}
