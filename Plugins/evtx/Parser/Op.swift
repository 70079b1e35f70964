/// One step of compiled BinXML, plain data so replaying it costs no reference counting.
/// Template definitions are compiled once per chunk and replayed for every record that
/// instantiates them; a record's own stream is compiled per record.
struct Op {
    enum Kind: UInt8 { case open, attribute, closeStart, closeEmpty, end, text, substitution, instance }

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
