/// Renders substitution values as evtx-rs renders them, as UTF-8 into the record's buffer.
enum ValueRenderer {
    /// The value of type `type` occupying `size` bytes at chunk offset `start`.
    /// Throws for unknown types, out-of-bounds data and invalid dates (which evtx-rs also
    /// treats as a broken record).
    static func render(_ b: UnsafeRawBufferPointer, type: UInt8, start: Int, size: Int,
                       into text: inout RecordText) throws -> ValueSlot {
        guard start >= 0, size >= 0, start <= b.count, b.count - start >= size else {
            throw EVTXParseError.truncated("substitution value", at: start)
        }
        if type & ValueType.array != 0 {
            let first = text.items.count
            try renderArray(b, itemType: type & 0x7F, start: start, size: size, into: &text)
            return ValueSlot(kind: .array, start: UInt32(first), count: UInt32(text.items.count - first))
        }
        let from = text.bytes.count
        switch type {
        case ValueType.null:
            return .null
        case ValueType.string:
            guard size % 2 == 0 else { throw EVTXParseError.invalid("odd-sized UTF-16 string value at \(start)") }
            TextDecoding.utf16(b, start: start, units: size / 2, into: &text.bytes)
        case ValueType.ansi:
            TextDecoding.ansi(b, start: start, count: size, into: &text.bytes)
        case ValueType.binary:
            TextDecoding.hex(b, start: start, count: size, into: &text.bytes)
        case ValueType.sizeT:
            if size == 4 {
                text.bytes.appendHexInt(UInt64(b.le32(start)))
            } else if size == 8 {
                text.bytes.appendHexInt(b.le64(start))
            } else {
                throw EVTXParseError.invalid("SizeT value of size \(size) at \(start)")
            }
        case ValueType.sid:
            try sid(b, at: start, limit: start + size, into: &text.bytes)
        case ValueType.binXML:
            return size == 0 ? .null : ValueSlot(kind: .binxml, start: UInt32(start), count: UInt32(size))
        default:
            // Fixed-size scalars are read at their natural width, which must fit the chunk.
            guard let w = ValueType.fixedWidth(type) else {
                throw EVTXParseError.invalid(String(format0x: type, "unsupported value type"))
            }
            guard b.count - start >= w else { throw EVTXParseError.truncated("fixed-size value", at: start) }
            if let ft = try scalar(b, type: type, at: start, into: &text.bytes) {
                return ValueSlot(kind: .time, start: UInt32(from), count: UInt32(text.bytes.count - from), filetime: ft)
            }
        }
        return ValueSlot(kind: .text, start: UInt32(from), count: UInt32(text.bytes.count - from))
    }

    /// Appends the text of the fixed-size scalar at `o` (the caller checked its width);
    /// returns the FILETIME for the time types, nil for the others.
    static func scalar(_ b: UnsafeRawBufferPointer, type: UInt8, at o: Int, into out: inout ByteBuffer) throws -> UInt64? {
        switch type {
        case ValueType.int8: out.appendDecimal(signed: Int64(Int8(bitPattern: b[o])))
        case ValueType.uint8: out.appendDecimal(UInt64(b[o]))
        case ValueType.int16: out.appendDecimal(signed: Int64(Int16(bitPattern: b.le16(o))))
        case ValueType.uint16: out.appendDecimal(UInt64(b.le16(o)))
        case ValueType.int32: out.appendDecimal(signed: Int64(Int32(bitPattern: b.le32(o))))
        case ValueType.uint32: out.appendDecimal(UInt64(b.le32(o)))
        case ValueType.int64: out.appendDecimal(signed: Int64(bitPattern: b.le64(o)))
        case ValueType.uint64: out.appendDecimal(b.le64(o))
        case ValueType.real32: TextDecoding.real(Double(Float(bitPattern: b.le32(o))), into: &out)
        case ValueType.real64: TextDecoding.real(Double(bitPattern: b.le64(o)), into: &out)
        // Files with irregular bool values exist: like pyevtx-rs 0.14, print those as numbers.
        case ValueType.bool:
            let v = Int32(bitPattern: b.le32(o))
            if v == 0 { out.append("false") } else if v == 1 { out.append("true") } else { out.appendDecimal(signed: Int64(v)) }
        case ValueType.guid: TextDecoding.guid(b, at: o, into: &out)
        case ValueType.hexInt32: out.appendHexInt(UInt64(b.le32(o)))
        case ValueType.hexInt64: out.appendHexInt(b.le64(o))
        case ValueType.filetime:
            let ft = b.le64(o)
            // Past year 9999 is garbage, and evtx-rs fails such a record: so do we.
            guard ft <= WindowsTime.maxFiletime else { throw EVTXParseError.invalid("out-of-range FILETIME at \(o)") }
            WindowsTime.appendISOMicros(filetime: ft, into: &out)
            return ft
        case ValueType.systemtime:
            guard let ft = WindowsTime.filetime(systemtime: b, at: o) else {
                throw EVTXParseError.invalid("out-of-range SYSTEMTIME at \(o)")
            }
            WindowsTime.appendISOMicros(filetime: ft, into: &out)
            return ft
        default:
            throw EVTXParseError.invalid(String(format0x: type, "unsupported value type"))
        }
        return nil
    }

    /// A SID at `o`: 8-byte header plus 4 bytes per sub-authority, within `limit`.
    static func sid(_ b: UnsafeRawBufferPointer, at o: Int, limit: Int, into out: inout ByteBuffer) throws {
        guard o >= 0, o < b.count, limit - o >= 8 else { throw EVTXParseError.truncated("SID", at: o) }
        let n = Int(b[o + 1])
        guard b.count - o >= 8 + 4 * n else { throw EVTXParseError.truncated("SID sub-authorities", at: o) }
        TextDecoding.sid(b, at: o, subCount: n, into: &out)
    }

    /// Array items, each rendered into the buffer and listed in `text.items`.
    static func renderArray(_ b: UnsafeRawBufferPointer, itemType: UInt8, start: Int, size: Int,
                            into text: inout RecordText) throws {
        let end = start + size
        switch itemType {
        case ValueType.string:
            // NUL-terminated strings back to back.
            var p = start
            while p < end {
                var q = p
                while q + 1 < end && b.le16(q) != 0 { q += 2 }
                guard q + 1 < end else { throw EVTXParseError.truncated("string array item", at: p) }
                let from = text.bytes.count
                TextDecoding.utf16(b, start: p, units: (q - p) / 2, into: &text.bytes)
                text.items.append(text.ref(since: from))
                p = q + 2
            }
        case ValueType.sid:
            var p = start
            while p < end {
                let from = text.bytes.count
                try sid(b, at: p, limit: end, into: &text.bytes)
                text.items.append(text.ref(since: from))
                p += 8 + 4 * Int(b[p + 1])
            }
        default:
            guard let w = ValueType.fixedWidth(itemType), size % w == 0 else {
                throw EVTXParseError.invalid(String(format0x: itemType | ValueType.array, "unsupported array value"))
            }
            var p = start
            while p < end {
                let from = text.bytes.count
                _ = try scalar(b, type: itemType, at: p, into: &text.bytes)
                text.items.append(text.ref(since: from))
                p += w
            }
        }
    }
}
