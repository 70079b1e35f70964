/// Replays compiled BinXML against a record's rendered values and turns the resulting XML
/// shape into flat event fields (byte ranges, see `TextRef`):
/// - `System/X` text becomes `X`; its attributes become `X_Attr` (`Provider_Name`,
///   `Execution_ProcessID`, `Security_UserID`), except `TimeCreated/@SystemTime` = `TimeCreated`.
/// - In `EventData`, `UserData` and other sections every leaf element becomes one field named
///   by its `Name` attribute (`<Data Name="X">`) or else by the element (`Data`, `Binary`, ...);
///   attributes of other elements become `Elem_Attr` (namespace declarations are dropped).
/// - `RenderingInfo` leaves (forwarded events) are prefixed `RenderingInfo_`.
/// Repeated names get `_1`, `_2`, ... (`Data`, `Data_1`).
/// Helpers that only read are `mutating` too: a noncopyable `self` borrowed by a plain method
/// is copied (memcpy of the whole builder) at every call, which cost a tenth of the parse time.
struct FieldBuilder: ~Copyable {
    enum Section: UInt8 { case root, system, data, rendering }

    /// An open element. Its attributes and array items live in the builder's shared
    /// `attrs`/`items` stacks from these start indexes on, so elements allocate nothing.
    struct Frame {
        var name: UInt32
        var section: Section
        var hasChildren = false
        var attrStart: Int
        var itemStart: Int
        /// Its first text piece, and the further ones in `pieces[pieceStart...]`, joined into
        /// `text` when it closes.
        var pieceStart: Int
        var text = TextRef.empty
    }

    struct Attribute {
        var name: UInt32
        /// The precomputed `Element_Attribute` key and the element it was made for.
        var element: UInt32
        var key: UInt32
        var value: TextRef
        /// The name id of the value when it is one template literal (its hash is known).
        var valueName = Op.none
    }

    static let maxNesting = 16        // template instances and nested BinXML values
    static let maxElementDepth = 128
    static let maxSteps = 1_000_000   // ops replayed (and array items spread) per record
    static let maxTextBytes = 16 << 20

    var text = RecordText()
    private(set) var fields = PODStack<FieldSpan>()
    var timeCreated: UInt64?
    private var names = FieldNameIndex()
    var stack = PODStack<Frame>(capacity: 16)
    var attrs = PODStack<Attribute>(capacity: 16)
    var items = PODStack<TextRef>(capacity: 16)
    /// Further non-empty text pieces of the open elements and of the open attribute value,
    /// joined once when the element closes or the attribute ends (interleaved writes cannot
    /// make that copying quadratic).
    var pieces = PODStack<TextRef>(capacity: 16)
    var attrPieces = PODStack<TextRef>(capacity: 4)
    var attr = Attribute(name: Op.none, element: Op.none, key: Op.none, value: .empty)
    var steps = 0
    var textBytes = 0
    /// Set when a copy would pass `RecordText.maxBytes`; `run` then fails the record.
    var overflowed = false

    /// Prepares for the next record, keeping the capacity of the working buffers.
    mutating func reset() {
        text.reset()
        fields.removeAll()
        names.reset()
        timeCreated = nil
        stack.removeAll()
        attrs.removeAll()
        items.removeAll()
        pieces.removeAll()
        attrPieces.removeAll()
        attr.name = Op.none
        attr.value = .empty
        steps = 0
        textBytes = 0
        overflowed = false
    }

    @inline(__always)
    mutating func finishAttribute(_ t: inout ChunkTables) {
        guard attr.name != Op.none else { return }
        if attr.value.count > 0, !stack.isEmpty {
            if !attrPieces.isEmpty { joinAttributePieces(&t) }
            attrs.append(attr)
        }
        attrPieces.removeAll()
        attr.name = Op.none
        attr.value = .empty
    }

    @inline(never)
    private mutating func joinAttributePieces(_ t: inout ChunkTables) {
        let from = text.bytes.count
        _ = copyToEnd(attr.value, &t)
        for i in 0..<attrPieces.count {
            let r = attrPieces[i]
            _ = copyToEnd(r, &t)
        }
        attr.value = text.ref(since: from)
    }

    /// The text of an element closing now: its single piece where it is, or its pieces
    /// copied together.
    @inline(__always)
    mutating func joinedText(_ f: Frame, _ t: inout ChunkTables) -> TextRef {
        if pieces.count <= f.pieceStart { return f.text }
        return joinPieces(f, &t)
    }

    @inline(never)
    private mutating func joinPieces(_ f: Frame, _ t: inout ChunkTables) -> TextRef {
        let from = text.bytes.count
        _ = copyToEnd(f.text, &t)
        for i in f.pieceStart..<pieces.count {
            let r = pieces[i]
            _ = copyToEnd(r, &t)
        }
        return text.ref(since: from)
    }

    static func section(of flags: NameFlags) -> Section {
        if flags.contains(.system) { return .system }
        if flags.contains(.rendering) { return .rendering }
        return .data
    }

    /// The `Name` attribute of the open element at `f`, if any.
    private mutating func nameAttribute(_ f: Frame, _ t: inout ChunkTables) -> Attribute? {
        var i = f.attrStart
        while i < attrs.count {
            if t.names[Int(attrs[i].name)].flags.contains(.name) { return attrs[i] }
            i += 1
        }
        return nil
    }

    /// Attributes become fields when the start tag ends, so fields keep document order.
    @inline(__always)
    mutating func emitAttributes(_ t: inout ChunkTables) {
        // Most start tags end without attributes: decided without copying the frame.
        guard !stack.isEmpty, attrs.count > stack[stack.count - 1].attrStart else { return }
        emitAttributesOfTop(&t)
    }

    private mutating func emitAttributesOfTop(_ t: inout ChunkTables) {
        guard let f = stack.last else { return }
        let level = stack.count - 1
        let flags = t.names[Int(f.name)].flags
        switch f.section {
        case .system where level == 2:
            for i in f.attrStart..<attrs.count {
                let a = attrs[i]
                if flags.contains(.timeCreated) && t.names[Int(a.name)].flags.contains(.systemTime) {
                    emit(t.names[Int(f.name)], a.value, &t)
                } else {
                    emitAttribute(f, a, &t)
                }
            }
        // Other elements (UserData, CAPI2 and the like) carry data in attributes too.
        case .data where level >= 2 && !(flags.contains(.data) && nameAttribute(f, &t) != nil):
            for i in f.attrStart..<attrs.count where !t.names[Int(attrs[i].name)].flags.contains(.namespace) {
                emitAttribute(f, attrs[i], &t)
            }
        default:
            break
        }
    }

    /// `Element_Attribute = value`, with the key made at compile time when it fits.
    private mutating func emitAttribute(_ f: Frame, _ a: Attribute, _ t: inout ChunkTables) {
        if a.key != Op.none && a.element == f.name { return emit(t.names[Int(a.key)], a.value, &t) }
        let from = text.bytes.count
        _ = copyToEnd(t.names[Int(f.name)].text, &t)
        text.bytes.append(UInt8(ascii: "_"))
        _ = copyToEnd(t.names[Int(a.name)].text, &t)
        emit(text.ref(since: from), a.value, &t)
    }

    mutating func closeElement(_ t: inout ChunkTables) {
        guard var f = stack.popLast() else { return }
        let level = stack.count
        if !f.hasChildren {
            f.text = joinedText(f, &t)
            let name = t.names[Int(f.name)]
            switch f.section {
            case .root:
                emitValues(name, f, &t)
            case .system:
                if level >= 2 { emitValues(name, f, &t) }
            case .data:
                // The section element itself (`<EventData/>`) is a field only when it holds text.
                if level == 1 {
                    emitValues(name, f, &t)
                } else if name.flags.contains(.data), let n = nameAttribute(f, &t) {
                    if n.valueName != Op.none {
                        emitValues(t.names[Int(n.valueName)], f, &t, keepEmpty: true)
                    } else {
                        emitValues(n.value, f, &t, keepEmpty: true)
                    }
                } else {
                    emitValues(name, f, &t, keepEmpty: attrs.count == f.attrStart)
                }
            case .rendering:
                if level >= 2 && willEmit(f, keepEmpty: false) {
                    let from = text.bytes.count
                    text.bytes.append("RenderingInfo_")
                    _ = copyToEnd(name.text, &t)
                    emitValues(text.ref(since: from), f, &t)
                }
            }
        }
        attrs.truncate(to: f.attrStart)
        items.truncate(to: f.itemStart)
        pieces.truncate(to: f.pieceStart)
    }

    private mutating func willEmit(_ f: Frame, keepEmpty: Bool) -> Bool {
        items.count > f.itemStart || keepEmpty || f.text.count > 0
    }

    private mutating func emitValues(_ key: NameInfo, _ f: Frame, _ t: inout ChunkTables, keepEmpty: Bool = false) {
        guard willEmit(f, keepEmpty: keepEmpty) else { return }
        emitValues(key.text, key.hash, f, &t, keepEmpty: keepEmpty)
    }

    private mutating func emitValues(_ key: TextRef, _ f: Frame, _ t: inout ChunkTables, keepEmpty: Bool = false) {
        let h = hash(key, &t)
        emitValues(key, h, f, &t, keepEmpty: keepEmpty)
    }

    private mutating func emitValues(_ key: TextRef, _ h: UInt64, _ f: Frame, _ t: inout ChunkTables, keepEmpty: Bool) {
        if items.count > f.itemStart {
            if f.text.count > 0 { emit(key, h, f.text, &t) }
            for i in f.itemStart..<items.count { emit(key, h, items[i], &t) }
        } else if keepEmpty || f.text.count > 0 {
            emit(key, h, f.text, &t)
        }
    }

    private mutating func emit(_ key: NameInfo, _ value: TextRef, _ t: inout ChunkTables) {
        emit(key.text, key.hash, value, &t)
    }

    private mutating func emit(_ key: TextRef, _ value: TextRef, _ t: inout ChunkTables) {
        emit(key, hash(key, &t), value, &t)
    }

    /// Appends a field, renaming a repeated name to `name_N` with the first free N.
    private mutating func emit(_ key: TextRef, _ h: UInt64, _ value: TextRef, _ t: inout ChunkTables) {
        guard let first = findOrInsert(key, h, &t) else {
            fields.append(FieldSpan(key: key, value: value))
            return
        }
        // Each rename copies the key: past the record's byte budget the record fails.
        guard !overflowed else { return }
        var n = names.nextSuffix[first]
        while true {
            let from = text.bytes.count
            _ = copyToEnd(key, &t)
            text.bytes.append(UInt8(ascii: "_"))
            text.bytes.appendDecimal(UInt64(n))
            let name = text.ref(since: from)
            let nh = hash(name, &t)
            if findOrInsert(name, nh, &t) == nil {
                names.nextSuffix[first] = n + 1
                fields.append(FieldSpan(key: name, value: value))
                return
            }
            text.bytes.truncate(to: from)
            n += 1
        }
    }

    /// The field already named `key`, or nil after noting `key` for the field appended next.
    private mutating func findOrInsert(_ key: TextRef, _ h: UInt64, _ t: inout ChunkTables) -> Int? {
        let own = text.bytes.bytes
        return t.strings.withUnsafeBytes { shared in
            fields.withUnsafeBufferPointer { named in
                names.findOrInsert(h) { f in
                    let other = named[f].key
                    return other == key
                        || (other.count == key.count && other.bytes(shared: shared, own: own).elementsEqual(key.bytes(shared: shared, own: own)))
                }
            }
        }
    }

    private mutating func hash(_ r: TextRef, _ t: inout ChunkTables) -> UInt64 {
        let own = text.bytes.bytes
        return t.strings.withUnsafeBytes { nameHash(r.bytes(shared: $0, own: own)) }
    }
}
