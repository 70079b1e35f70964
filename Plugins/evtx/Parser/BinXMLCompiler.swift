/// One step of a compiled BinXML stream. Template definitions are compiled once per chunk
/// and replayed for every record that instantiates them.
enum BinXMLOp {
    case open(String)
    case attribute(String)
    case closeStart
    case closeEmpty
    case end
    case text(String)
    case substitution(Int, optional: Bool)
    /// A template instance: the template's ops and this instance's values.
    case instance([BinXMLOp], [SubstitutionValue])
}

/// Per-chunk state: the chunk bytes and the caches of names and compiled templates,
/// keyed by chunk offset. Reused across chunks to keep dictionary capacity.
final class ChunkContext {
    var buf = UnsafeRawBufferPointer(start: nil, count: 0)
    private var names: [UInt32: String] = [:]
    private var templates: [UInt32: [BinXMLOp]] = [:]

    /// Template definition header: next offset (4), GUID (16), data size (4).
    static let templateHeaderSize = 24

    func reset(_ chunk: UnsafeRawBufferPointer) {
        buf = chunk
        names.removeAll(keepingCapacity: true)
        templates.removeAll(keepingCapacity: true)
    }

    /// The name string at chunk offset `off`: next-link (4), hash (2), length (2), UTF-16.
    func name(at off: UInt32) throws -> String {
        if let s = names[off] { return s }
        var c = ByteCursor(buf, at: Int(off))
        try c.skip(6, "name link")
        let len = Int(try c.u16("name length"))
        try c.ensure(2 * len, "name characters")
        let s = TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false)
        names[off] = s
        return s
    }

    /// A name reference in a token. Names defined in place (offset == position) are skipped.
    private func nameRef(_ c: inout ByteCursor) throws -> String {
        let off = try c.u32("name offset")
        if Int(off) == c.pos {
            try c.skip(6, "inline name link")
            let len = Int(try c.u16("inline name length"))
            try c.skip(2 * len + 2, "inline name")
        }
        return try name(at: off)
    }

    /// The compiled template whose definition starts at chunk offset `off`.
    func template(at off: UInt32) throws -> [BinXMLOp] {
        if let t = templates[off] { return t }
        let start = Int(off) + ChunkContext.templateHeaderSize
        var h = ByteCursor(buf, at: Int(off))
        try h.skip(20, "template header")
        let size = Int(try h.u32("template data size"))
        guard size <= buf.count - start else { throw EVTXParseError.truncated("template data", at: start) }
        let ops = try compile(from: start, to: start + size, inTemplate: true)
        templates[off] = ops
        return ops
    }

    /// Compiles the BinXML tokens in [start, end). Template definitions carry a dependency
    /// identifier in element starts and may hold substitutions; record streams and nested
    /// BinXML values carry neither but may hold template instances.
    func compile(from start: Int, to end: Int, inTemplate: Bool) throws -> [BinXMLOp] {
        var ops = [BinXMLOp]()
        var c = ByteCursor(buf, at: start)
        while c.pos < end {
            let token = try c.u8("token")
            switch token {
            case 0x00:
                return ops
            case 0x01, 0x41:
                if inTemplate { try c.skip(2, "dependency id") }
                try c.skip(4, "element data size")
                let n = try nameRef(&c)
                if token == 0x41 { try c.skip(4, "attribute list size") }
                ops.append(.open(n))
            case 0x02: ops.append(.closeStart)
            case 0x03: ops.append(.closeEmpty)
            case 0x04: ops.append(.end)
            case 0x05, 0x45:
                ops.append(.text(try literalValue(&c)))
            case 0x06, 0x46:
                ops.append(.attribute(try nameRef(&c)))
            case 0x07, 0x47:
                let len = Int(try c.u16("CDATA length"))
                try c.ensure(2 * len, "CDATA")
                ops.append(.text(TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false)))
                c.pos += 2 * len
            case 0x08, 0x48:
                let v = try c.u16("character reference")
                ops.append(.text(String(decoding: [v], as: UTF16.self)))
            case 0x09, 0x49:
                ops.append(.text(entity(try nameRef(&c))))
            case 0x0A:
                _ = try nameRef(&c)
            case 0x0B:
                let len = Int(try c.u16("PI data length"))
                try c.skip(2 * len, "PI data")
            case 0x0C:
                guard !inTemplate else { throw EVTXParseError.invalid("template instance inside a template at \(c.pos - 1)") }
                ops.append(try instance(&c))
            case 0x0D, 0x0E:
                let index = Int(try c.u16("substitution index"))
                let type = try c.u8("substitution type")
                guard inTemplate else { throw EVTXParseError.invalid("substitution outside a template at \(c.pos - 4)") }
                // An optional substitution declared as NullType is never rendered.
                if !(token == 0x0E && type == ValueType.null) {
                    ops.append(.substitution(index, optional: token == 0x0E))
                }
            case 0x0F:
                try c.skip(3, "fragment header")
            default:
                throw EVTXParseError.invalid("invalid BinXML token 0x\(String(token, radix: 16)) at \(c.pos - 1)")
            }
        }
        return ops
    }

    /// A value token outside substitutions: a length-prefixed string or a fixed-size scalar.
    private func literalValue(_ c: inout ByteCursor) throws -> String {
        let type = try c.u8("value type")
        if type == ValueType.string {
            let len = Int(try c.u16("value length"))
            try c.ensure(2 * len, "value string")
            defer { c.pos += 2 * len }
            return TextDecoding.utf16(buf, start: c.pos, units: len, stopAtNul: false)
        }
        guard let w = ValueType.fixedWidth(type) else {
            throw EVTXParseError.invalid(String(format0x: type, "unsupported literal value type"))
        }
        try c.ensure(w, "literal value")
        defer { c.pos += w }
        switch try ValueDecoder.scalar(buf, type: type, at: c.pos) {
        case .text(let s), .time(let s, _): return s
        default: return ""
        }
    }

    /// Template instance: unknown (1), template id (4), definition offset (4), the definition
    /// itself when it is stored here, then the value count, descriptors and values.
    private func instance(_ c: inout ByteCursor) throws -> BinXMLOp {
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
        var values = [SubstitutionValue]()
        values.reserveCapacity(count)
        var valuePos = c.pos + 4 * count
        for i in 0..<count {
            let d = c.pos + 4 * i
            let size = Int(buf.le16(d))
            let type = buf[d + 2]
            values.append(try ValueDecoder.decode(buf, type: type, start: valuePos, size: size))
            valuePos += size
        }
        c.pos = valuePos
        let ops = try template(at: defOffset)
        return .instance(ops, values)
    }

    private func entity(_ name: String) -> String {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: return "&" + name + ";"
        }
    }
}
