#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        case emptyAttributes3   // open (attribute substitution) x 3 closeEmpty
        case attributeLeaf      // open attribute substitution closeStart substitution end
        case container          // open closeStart

        /// How many ops follow a fused marker.
        var fusedCount: Int {
            switch self {
            case .container: return 2
            case .leaf, .emptyAttribute: return 4
            case .namedLeaf, .emptyAttributes2, .attributeLeaf: return 6
            case .emptyAttributes3: return 8
            default: return 0
            }
        }

        static let fusedShapes: [(Kind, [Kind])] = [
            (.emptyAttributes3, [.open, .attribute, .substitution, .attribute, .substitution, .attribute, .substitution,
                                 .closeEmpty]),
            (.namedLeaf, [.open, .attribute, .text, .closeStart, .substitution, .end]),
            (.attributeLeaf, [.open, .attribute, .substitution, .closeStart, .substitution, .end]),
            (.emptyAttributes2, [.open, .attribute, .substitution, .attribute, .substitution, .closeEmpty]),
            (.leaf, [.open, .closeStart, .substitution, .end]),
            (.emptyAttribute, [.open, .attribute, .substitution, .closeEmpty]),
            (.container, [.open, .closeStart]),
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

    /// Appends `ops` to `out` with a fused marker before every run of a shape in
    /// `Kind.fusedShapes` (the ops themselves stay, after their marker).
    static func appendFused(_ ops: [Op], to out: inout [Op]) {
        out.reserveCapacity(out.count + ops.count + ops.count / 3)
        var i = 0
        while i < ops.count {
            var marker: Kind?
            // Shapes all start with `open`; the longest that fits wins.
            if ops[i].kind == .open {
                for (kind, shape) in Kind.fusedShapes where ops.count - i >= shape.count {
                    var k = 1
                    while k < shape.count && ops[i + k].kind == shape[k] { k += 1 }
                    if k == shape.count { marker = kind; break }
                }
            }
            if let marker { out.append(Op(kind: marker)) }
            let n = marker?.fusedCount ?? 1
            for k in i..<(i + n) { out.append(ops[k]) }
            i += n
        }
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

    /// The flags of a name given as UTF-8 (lengths compared first: most names match none).
    static func of(_ s: UnsafeRawBufferPointer) -> NameFlags {
        func equals(_ lit: StaticString) -> Bool {
            s.count == lit.utf8CodeUnitCount && prefix(lit)
        }
        func prefix(_ lit: StaticString) -> Bool {
            guard let b = s.baseAddress, s.count >= lit.utf8CodeUnitCount else { return false }
            return memcmp(b, lit.utf8Start, lit.utf8CodeUnitCount) == 0
        }
        switch s.count {
        case 4: return equals("Name") ? .name : equals("Data") ? .data : []
        case 5: return equals("xmlns") ? .namespace : []
        case 6 where equals("System"): return .system
        case 10 where equals("SystemTime"): return .systemTime
        case 11 where equals("TimeCreated"): return .timeCreated
        case 13 where equals("RenderingInfo"): return .rendering
        default: return prefix("xmlns:") ? .namespace : []
        }
    }
}

/// A name or field key of the chunk: its UTF-8 in the shared strings, hash and flags.
struct NameInfo {
    var text: TextRef
    var hash: UInt64
    var flags: NameFlags
}
