/// Replaying compiled ops: each op does what its BinXML token does to the open elements and
/// attribute; the fused ops (`Op.Kind.leaf` ...) do exactly what the ops after them do, with one
/// dispatch instead of four to six.
extension FieldBuilder {
    /// Replays `range` of the template ops (or of the stream ops) with the value slots `slots`;
    /// `cost` is what the range counts against the budget (its ops without fused markers).
    mutating func run(_ t: inout ChunkTables, template: Bool, _ range: Range<Int>, cost: Int, slots: Range<Int>,
                      nesting: Int) throws {
        guard nesting <= FieldBuilder.maxNesting else { throw EVTXParseError.limit("BinXML nested too deeply") }
        steps += cost
        guard steps <= FieldBuilder.maxSteps else { throw EVTXParseError.limit("record expands to too many nodes") }
        var i = range.lowerBound
        while i < range.upperBound {
            let op = template ? t.templateOps[i] : t.streamOps[i]
            i += 1
            switch op.kind {
            case .open:
                try open(op, &t)
            case .attribute:
                attribute(op, &t)
            case .closeStart:
                closeStart(&t)
            case .closeEmpty:
                closeEmpty(&t)
            case .end:
                end(&t)
            case .text:
                try append(TextRef(start: op.a, count: op.b), &t, literal: op.c)
            case .substitution:
                try substitution(op, slots, &t, nesting)
            case .instance:
                let first = Int(op.b), id = Int(op.a)
                try run(&t, template: true, t.templates[id], cost: t.templateCosts[id],
                        slots: first..<(first + Int(op.c)), nesting: nesting + 1)
            case .leaf:
                try open(t.templateOps[i], &t)
                closeStart(&t)
                try substitution(t.templateOps[i + 2], slots, &t, nesting)
                end(&t)
            case .namedLeaf:
                try open(t.templateOps[i], &t)
                attribute(t.templateOps[i + 1], &t)
                let lit = t.templateOps[i + 2]
                try append(TextRef(start: lit.a, count: lit.b), &t, literal: lit.c)
                closeStart(&t)
                try substitution(t.templateOps[i + 4], slots, &t, nesting)
                end(&t)
            case .emptyAttribute:
                try open(t.templateOps[i], &t)
                attribute(t.templateOps[i + 1], &t)
                try substitution(t.templateOps[i + 2], slots, &t, nesting)
                closeEmpty(&t)
            case .emptyAttributes3:
                try open(t.templateOps[i], &t)
                for k in stride(from: 1, through: 5, by: 2) {
                    attribute(t.templateOps[i + k], &t)
                    try substitution(t.templateOps[i + k + 1], slots, &t, nesting)
                }
                closeEmpty(&t)
            case .attributeLeaf:
                try open(t.templateOps[i], &t)
                attribute(t.templateOps[i + 1], &t)
                try substitution(t.templateOps[i + 2], slots, &t, nesting)
                closeStart(&t)
                try substitution(t.templateOps[i + 4], slots, &t, nesting)
                end(&t)
            case .container:
                try open(t.templateOps[i], &t)
                closeStart(&t)
            case .emptyAttributes2:
                try open(t.templateOps[i], &t)
                attribute(t.templateOps[i + 1], &t)
                try substitution(t.templateOps[i + 2], slots, &t, nesting)
                attribute(t.templateOps[i + 3], &t)
                try substitution(t.templateOps[i + 4], slots, &t, nesting)
                closeEmpty(&t)
            }
            i += op.kind.fusedCount
        }
        guard !overflowed else { throw EVTXParseError.limit("record text too large") }
    }

    @inline(__always)
    private mutating func open(_ op: Op, _ t: inout ChunkTables) throws {
        finishAttribute(&t)
        guard stack.count < FieldBuilder.maxElementDepth else { throw EVTXParseError.limit("elements nested too deeply") }
        var section = Section.root
        if !stack.isEmpty {
            stack[stack.count - 1].hasChildren = true
            section = stack.count == 1 ? FieldBuilder.section(of: t.names[Int(op.a)].flags) : stack[stack.count - 1].section
        }
        stack.append(Frame(name: op.a, section: section, attrStart: attrs.count, itemStart: items.count,
                           pieceStart: pieces.count))
    }

    @inline(__always)
    private mutating func attribute(_ op: Op, _ t: inout ChunkTables) {
        finishAttribute(&t)
        attr = Attribute(name: op.a, element: op.b, key: op.c, value: .empty)
    }

    @inline(__always)
    private mutating func closeStart(_ t: inout ChunkTables) {
        finishAttribute(&t)
        emitAttributes(&t)
    }

    @inline(__always)
    private mutating func closeEmpty(_ t: inout ChunkTables) {
        finishAttribute(&t)
        emitAttributes(&t)
        closeElement(&t)
    }

    @inline(__always)
    private mutating func end(_ t: inout ChunkTables) {
        finishAttribute(&t)
        closeElement(&t)
    }

    @inline(__always)
    private mutating func substitution(_ op: Op, _ slots: Range<Int>, _ t: inout ChunkTables, _ nesting: Int) throws {
        guard Int(op.a) < slots.count else { return }
        try substitute(text.slots[slots.lowerBound + Int(op.a)], &t, nesting: nesting)
    }

    private mutating func substitute(_ v: ValueSlot, _ t: inout ChunkTables, nesting: Int) throws {
        switch v.kind {
        case .null:
            return
        case .text:
            try append(TextRef(start: v.start, count: v.count), &t)
        case .time:
            if attr.name != Op.none, t.names[Int(attr.name)].flags.contains(.systemTime),
               let f = stack.last, t.names[Int(f.name)].flags.contains(.timeCreated) {
                timeCreated = v.filetime
            }
            try append(TextRef(start: v.start, count: v.count), &t)
        case .array:
            let list = Int(v.start)..<Int(v.start + v.count)
            if attr.name != Op.none || stack.isEmpty {
                try append(joinItems(list), &t)
            } else {
                steps += list.count
                guard steps <= FieldBuilder.maxSteps else { throw EVTXParseError.limit("record expands to too many nodes") }
                for i in list { textBytes += Int(text.items[i].count) }
                guard textBytes <= FieldBuilder.maxTextBytes else { throw EVTXParseError.limit("record text too large") }
                for i in list { items.append(text.items[i]) }
            }
        case .binxml:
            // Nested BinXML makes sense only as element content; in an attribute it is dropped.
            guard attr.name == Op.none else { return }
            // Compiling counts against the budget too: a template may name one value many times.
            steps += Int(v.count)
            guard steps <= FieldBuilder.maxSteps else { throw EVTXParseError.limit("record expands to too many nodes") }
            let ops = try t.compileStream(from: Int(v.start), to: Int(v.start + v.count), &text)
            try run(&t, template: false, ops, cost: ops.count, slots: 0..<0, nesting: nesting + 1)
        }
    }

    /// Array items joined with commas, as an attribute value holds them.
    private mutating func joinItems(_ list: Range<Int>) -> TextRef {
        let from = text.bytes.count
        for i in list {
            if i > list.lowerBound { text.bytes.append(UInt8(ascii: ",")) }
            let r = text.items[i]
            text.bytes.appendOwn(from: r.offset, count: Int(r.count))
        }
        return text.ref(since: from)
    }

    /// Appends text to the open attribute value or else to the innermost element's text (more
    /// than one piece is joined later). `literal` is the name id of a template literal, remembered while
    /// it is the whole value.
    private mutating func append(_ p: TextRef, _ t: inout ChunkTables, literal: UInt32 = Op.none) throws {
        textBytes += Int(p.count)
        guard textBytes <= FieldBuilder.maxTextBytes else { throw EVTXParseError.limit("record text too large") }
        guard p.count > 0 else { return }
        // The first piece is kept in place; more go to the piece stacks.
        if attr.name != Op.none {
            if attr.value.count == 0 {
                attr.value = p
                attr.valueName = literal
            } else {
                attr.valueName = Op.none
                attrPieces.append(p)
            }
        } else if !stack.isEmpty {
            if stack[stack.count - 1].text.count == 0 {
                stack[stack.count - 1].text = p
            } else {
                pieces.append(p)
            }
        }
    }

    /// Copies the bytes of `r` to the end of the record's bytes; past the record's byte budget
    /// it copies nothing and marks the record as failed.
    mutating func copyToEnd(_ r: TextRef, _ t: inout ChunkTables) -> TextRef {
        let from = text.bytes.count
        guard from <= RecordText.maxBytes - Int(r.count) else {
            overflowed = true
            return text.ref(since: from)
        }
        if r.isShared {
            t.strings.withUnsafeBytes { s in
                if r.end <= s.count { text.bytes.append(UnsafeRawBufferPointer(rebasing: s[r.offset..<r.end])) }
            }
        } else {
            text.bytes.appendOwn(from: r.offset, count: Int(r.count))
        }
        return text.ref(since: from)
    }

}
