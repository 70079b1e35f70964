/// Per-chunk state: the chunk bytes, its names and compiled templates (keyed by chunk offset)
/// and the chunk's shared strings, which the records of the chunk reference. Reused across
/// chunks to keep capacity.
struct ChunkTables: ~Copyable {
    private(set) var buf = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Names, composite keys and template literal text as UTF-8. Records keep a copy of the
    /// array (copy-on-write), so text once referenced never changes.
    private(set) var strings: [UInt8] = []
    private(set) var names: [NameInfo] = []
    private(set) var templateOps: [Op] = []
    private var templateScratch: [Op] = []
    /// Ops of the current record's own stream and of nested BinXML values.
    private(set) var streamOps: [Op] = []
    private var nameIDs = OffsetMap()
    private var keyIDs = OffsetMap()
    private var templateIDs = OffsetMap(capacity: 64)
    private(set) var templates: [Range<Int>] = []
    /// What replaying each template counts against a record's budget: its ops, not markers.
    private(set) var templateCosts: [Int] = []
    /// Direct-mapped `offset << 32 | id + 1` in front of `templateIDs` (0: empty): most
    /// records of a chunk instantiate the same few templates.
    private var recentTemplates = [UInt64](repeating: 0, count: 64)
    private var scratch = ByteBuffer(capacity: 256)

    /// Template definition header: next offset (4), GUID (16), data size (4).
    static let templateHeaderSize = 24

    mutating func reset(_ chunk: UnsafeRawBufferPointer) {
        buf = chunk
        strings.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        templateOps.removeAll(keepingCapacity: true)
        streamOps.removeAll(keepingCapacity: true)
        nameIDs.removeAll()
        keyIDs.removeAll()
        templateIDs.removeAll()
        templates.removeAll(keepingCapacity: true)
        templateCosts.removeAll(keepingCapacity: true)
        for i in recentTemplates.indices { recentTemplates[i] = 0 }
    }

    /// Forgets the ops of the record just built.
    mutating func endRecord() { streamOps.removeAll(keepingCapacity: true) }

    /// Moves the scratch bytes into the shared strings.
    private mutating func shareScratch() -> TextRef {
        let r = TextRef(shared: strings.count, count: scratch.count)
        strings.append(contentsOf: scratch.bytes)
        return r
    }

    private mutating func addName(_ text: TextRef) -> UInt32 {
        let info = strings.withUnsafeBytes { s -> NameInfo in
            let u = UnsafeRawBufferPointer(rebasing: s[text.offset..<text.end])
            return NameInfo(text: text, hash: nameHash(u), flags: NameFlags.of(u))
        }
        names.append(info)
        return UInt32(names.count - 1)
    }

    /// The name at chunk offset `off`: next-link (4), hash (2), length (2), UTF-16.
    mutating func name(at off: UInt32) throws -> UInt32 {
        if let id = nameIDs[UInt64(off)] { return id }
        var c = ByteCursor(buf, at: Int(off))
        try c.skip(6, "name link")
        let len = Int(try c.u16("name length"))
        try c.ensure(2 * len, "name characters")
        scratch.removeAll()
        TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false, into: &scratch)
        let id = addName(shareScratch())
        nameIDs.insert(UInt64(off), id)
        return id
    }

    /// The key `Element_Attribute` as a name of its own.
    mutating func key(element e: UInt32, attribute a: UInt32) -> UInt32 {
        let k = UInt64(e) << 32 | UInt64(a)
        if let id = keyIDs[k] { return id }
        let start = strings.count
        let et = names[Int(e)].text, at = names[Int(a)].text
        strings.append(contentsOf: strings[et.offset..<et.end])
        strings.append(UInt8(ascii: "_"))
        strings.append(contentsOf: strings[at.offset..<at.end])
        let id = addName(TextRef(shared: start, count: strings.count - start))
        keyIDs.insert(k, id)
        return id
    }

    /// A name reference in a token. Names defined in place (offset == position) are skipped.
    private mutating func nameRef(_ c: inout ByteCursor) throws -> UInt32 {
        let off = try c.u32("name offset")
        if Int(off) == c.pos {
            try c.skip(6, "inline name link")
            let len = Int(try c.u16("inline name length"))
            try c.skip(2 * len + 2, "inline name")
        }
        return try name(at: off)
    }

    /// The id of the compiled template whose definition starts at chunk offset `off`.
    mutating func template(at off: UInt32, _ text: inout RecordText) throws -> UInt32 {
        let slot = Int((off ^ (off >> 6)) & 63)
        let recent = recentTemplates[slot]
        if recent != 0 && UInt32(recent >> 32) == off { return UInt32(truncatingIfNeeded: recent) &- 1 }
        let id = try compiledTemplate(at: off, &text)
        recentTemplates[slot] = UInt64(off) << 32 | UInt64(id + 1)
        return id
    }

    private mutating func compiledTemplate(at off: UInt32, _ text: inout RecordText) throws -> UInt32 {
        if let t = templateIDs[UInt64(off)] { return t }
        let start = Int(off) + ChunkTables.templateHeaderSize
        var h = ByteCursor(buf, at: Int(off))
        try h.skip(20, "template header")
        let size = Int(try h.u32("template data size"))
        guard size <= buf.count - start else { throw EVTXParseError.truncated("template data", at: start) }
        // Compiled into scratch first: a broken template leaves nothing behind (and is compiled,
        // and fails, again when used).
        var ops = [Op]()
        swap(&ops, &templateScratch)
        defer { swap(&ops, &templateScratch) }
        ops.removeAll(keepingCapacity: true)
        try compile(from: start, to: start + size, inTemplate: true, &ops, &text)
        let first = templateOps.count
        Op.appendFused(ops, to: &templateOps)
        templates.append(first..<templateOps.count)
        templateCosts.append(ops.count)
        let id = UInt32(templates.count - 1)
        templateIDs.insert(UInt64(off), id)
        return id
    }

    /// Compiles a record stream or nested BinXML value in [start, end) into `streamOps`;
    /// its template instances' values are rendered into `text`.
    mutating func compileStream(from start: Int, to end: Int, _ text: inout RecordText) throws -> Range<Int> {
        var ops = [Op]()
        swap(&ops, &streamOps)
        defer { swap(&ops, &streamOps) }
        let first = ops.count
        try compile(from: start, to: end, inTemplate: false, &ops, &text)
        return first..<ops.count
    }

    /// Compiles the BinXML tokens in [start, end). Template definitions carry a dependency
    /// identifier in element starts and may hold substitutions; record streams and nested
    /// BinXML values carry neither but may hold template instances. Literal text goes to the
    /// shared strings for templates and to the record's text for streams.
    private mutating func compile(from start: Int, to end: Int, inTemplate: Bool,
                                  _ ops: inout [Op], _ text: inout RecordText) throws {
        // Every token, with the lengths it declares (CDATA, PI data, strings, inline names and
        // templates), must end inside [start, end): a record never reads into the next one.
        guard start >= 0, start <= end, end <= buf.count else {
            throw EVTXParseError.invalid("BinXML range \(start)..<\(end) outside the chunk")
        }
        var c = ByteCursor(UnsafeRawBufferPointer(rebasing: buf[..<end]), at: start)
        var element = Op.none
        while c.pos < end {
            let token = try c.u8("token")
            switch token {
            case 0x00:
                return
            case 0x01, 0x41:
                if inTemplate { try c.skip(2, "dependency id") }
                try c.skip(4, "element data size")
                element = try nameRef(&c)
                if token == 0x41 { try c.skip(4, "attribute list size") }
                ops.append(Op(kind: .open, a: element))
            case 0x02: ops.append(Op(kind: .closeStart))
            case 0x03: ops.append(Op(kind: .closeEmpty))
            case 0x04: ops.append(Op(kind: .end))
            case 0x05, 0x45, 0x07, 0x47, 0x08, 0x48, 0x09, 0x49:
                let r = try literal(token, &c, inTemplate, &text)
                // Template literals are names too, so a `Name="X"` key has its hash at hand.
                ops.append(Op(kind: .text, a: r.start, b: r.count, c: r.isShared ? addName(r) : Op.none))
            case 0x06, 0x46:
                let n = try nameRef(&c)
                // Keys of template attributes are made once per chunk; others when emitted.
                let key = inTemplate && element != Op.none ? self.key(element: element, attribute: n) : Op.none
                ops.append(Op(kind: .attribute, a: n, b: element, c: key))
            case 0x0A:
                _ = try nameRef(&c)
            case 0x0B:
                let len = Int(try c.u16("PI data length"))
                try c.skip(2 * len, "PI data")
            case 0x0C:
                guard !inTemplate else { throw EVTXParseError.invalid("template instance inside a template at \(c.pos - 1)") }
                try instance(&c, &ops, &text)
            case 0x0D, 0x0E:
                let index = try c.u16("substitution index")
                let type = try c.u8("substitution type")
                guard inTemplate else { throw EVTXParseError.invalid("substitution outside a template at \(c.pos - 4)") }
                // An optional substitution declared as NullType is never rendered.
                if !(token == 0x0E && type == ValueType.null) {
                    ops.append(Op(kind: .substitution, a: UInt32(index)))
                }
            case 0x0F:
                try c.skip(3, "fragment header")
            default:
                throw EVTXParseError.invalid("invalid BinXML token 0x\(String(token, radix: 16)) at \(c.pos - 1)")
            }
        }
    }

    /// The text of a value, CDATA, character or entity reference token, rendered once.
    private mutating func literal(_ token: UInt8, _ c: inout ByteCursor, _ inTemplate: Bool,
                                  _ text: inout RecordText) throws -> TextRef {
        // An entity's name is read (into the scratch buffer) before its text is written there.
        let entityName = token & 0x0F == 0x09 ? try nameRef(&c) : 0
        scratch.removeAll()
        switch token & 0x0F {
        case 0x05:
            let type = try c.u8("value type")
            if type == ValueType.string {
                let len = Int(try c.u16("value length"))
                try c.ensure(2 * len, "value string")
                TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false, into: &scratch)
                c.pos += 2 * len
            } else {
                guard let w = ValueType.fixedWidth(type) else {
                    throw EVTXParseError.invalid(String(format0x: type, "unsupported literal value type"))
                }
                try c.ensure(w, "literal value")
                _ = try ValueRenderer.scalar(buf, type: type, at: c.pos, into: &scratch)
                c.pos += w
            }
        case 0x07:
            let len = Int(try c.u16("CDATA length"))
            try c.ensure(2 * len, "CDATA")
            TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false, into: &scratch)
            c.pos += 2 * len
        case 0x08:
            TextDecoding.characterReference(try c.u16("character reference"), into: &scratch)
        default:
            entity(entityName)
        }
        if inTemplate { return shareScratch() }
        let from = text.bytes.count
        text.bytes.append(scratch.bytes)
        return text.ref(since: from)
    }

    private mutating func entity(_ id: UInt32) {
        let t = names[Int(id)].text
        let known: StaticString? = strings.withUnsafeBytes { s in
            let n = UnsafeRawBufferPointer(rebasing: s[t.offset..<t.end])
            func eq(_ l: StaticString) -> Bool {
                n.elementsEqual(UnsafeRawBufferPointer(start: l.utf8Start, count: l.utf8CodeUnitCount))
            }
            return eq("amp") ? "&" : eq("lt") ? "<" : eq("gt") ? ">" : eq("quot") ? "\"" : eq("apos") ? "'" : nil
        }
        if let known { return scratch.append(known) }
        scratch.append(UInt8(ascii: "&"))
        strings.withUnsafeBytes { scratch.append(UnsafeRawBufferPointer(rebasing: $0[t.offset..<t.end])) }
        scratch.append(UInt8(ascii: ";"))
    }

    /// Template instance: unknown (1), template id (4), definition offset (4), the definition
    /// itself when it is stored here, then the value count, descriptors and values.
    private mutating func instance(_ c: inout ByteCursor, _ ops: inout [Op], _ text: inout RecordText) throws {
        try c.skip(5, "template instance header")
        let defOffset = try c.u32("template definition offset")
        if Int(defOffset) == c.pos {
            try c.skip(20, "inline template header")
            let size = Int(try c.u32("inline template size"))
            try c.skip(size, "inline template data")
        }
        let count = Int(try c.u32("substitution count"))
        // Each descriptor takes 4 bytes, so the remaining chunk bounds the count.
        try c.ensure(4 * count, "substitution descriptors")
        let first = text.slots.count
        var valuePos = c.pos + 4 * count
        for i in 0..<count {
            let d = c.pos + 4 * i
            let size = Int(buf.le16(d))
            let type = buf[d + 2]
            text.slots.append(try ValueRenderer.render(buf, type: type, start: valuePos, size: size, into: &text))
            valuePos += size
        }
        guard text.bytes.count <= RecordText.maxBytes else { throw EVTXParseError.limit("record text too large") }
        c.pos = valuePos
        let t = try template(at: defOffset, &text)
        ops.append(Op(kind: .instance, a: t, b: UInt32(first), c: UInt32(count)))
    }
}
