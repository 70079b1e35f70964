/// A template substitution value, decoded and rendered to text as evtx-rs renders it.
enum SubstitutionValue {
    case null
    case text(String)
    /// FILETIME or SYSTEMTIME: rendered text and the FILETIME it stands for.
    case time(String, UInt64)
    /// Array values: an element whose content is an array repeats once per item.
    case array([String])
    /// Nested BinXML, as a chunk-relative byte range.
    case binxml(start: Int, end: Int)

    var isEmpty: Bool {
        switch self {
        case .null: return true
        case .text(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .time, .binxml: return false
        }
    }
}

/// BinXML value type codes (MS-EVEN6 2.2.3.1 / libevtx "value types"); arrays are `| 0x80`.
enum ValueType {
    static let null: UInt8 = 0x00, string: UInt8 = 0x01, ansi: UInt8 = 0x02
    static let int8: UInt8 = 0x03, uint8: UInt8 = 0x04, int16: UInt8 = 0x05, uint16: UInt8 = 0x06
    static let int32: UInt8 = 0x07, uint32: UInt8 = 0x08, int64: UInt8 = 0x09, uint64: UInt8 = 0x0A
    static let real32: UInt8 = 0x0B, real64: UInt8 = 0x0C, bool: UInt8 = 0x0D, binary: UInt8 = 0x0E
    static let guid: UInt8 = 0x0F, sizeT: UInt8 = 0x10, filetime: UInt8 = 0x11, systemtime: UInt8 = 0x12
    static let sid: UInt8 = 0x13, hexInt32: UInt8 = 0x14, hexInt64: UInt8 = 0x15
    static let binXML: UInt8 = 0x21
    static let array: UInt8 = 0x80

    /// Width of one item of the fixed-size types, nil for variable-size ones.
    static func fixedWidth(_ t: UInt8) -> Int? {
        switch t {
        case int8, uint8: return 1
        case int16, uint16: return 2
        case int32, uint32, real32, bool, hexInt32: return 4
        case int64, uint64, real64, filetime, hexInt64: return 8
        case guid, systemtime: return 16
        default: return nil
        }
    }
}

enum ValueDecoder {
    /// Decodes the value of type `type` occupying `size` bytes at chunk offset `start`.
    /// Throws for unknown types, out-of-bounds data and invalid dates (which evtx-rs also
    /// treats as a broken record).
    static func decode(_ b: UnsafeRawBufferPointer, type: UInt8, start: Int, size: Int) throws -> SubstitutionValue {
        guard start >= 0, size >= 0, start <= b.count, b.count - start >= size else {
            throw EVTXParseError.truncated("substitution value", at: start)
        }
        if type & ValueType.array != 0 {
            return .array(try decodeArray(b, itemType: type & 0x7F, start: start, size: size))
        }
        switch type {
        case ValueType.null:
            return .null
        case ValueType.string:
            guard size % 2 == 0 else { throw EVTXParseError.invalid("odd-sized UTF-16 string value at \(start)") }
            return .text(TextDecoding.utf16(b, start: start, units: size / 2))
        case ValueType.ansi:
            return .text(TextDecoding.ansi(b, start: start, count: size))
        case ValueType.binary:
            return .text(TextDecoding.hex(b, start: start, count: size))
        case ValueType.sizeT:
            if size == 4 { return .text(TextDecoding.hexInt(UInt64(b.le32(start)))) }
            if size == 8 { return .text(TextDecoding.hexInt(b.le64(start))) }
            throw EVTXParseError.invalid("SizeT value of size \(size) at \(start)")
        case ValueType.sid:
            return .text(try sid(b, at: start, limit: start + size))
        case ValueType.binXML:
            return size == 0 ? .null : .binxml(start: start, end: start + size)
        default:
            // Fixed-size scalars are read at their natural width, which must fit the chunk.
            guard let w = ValueType.fixedWidth(type) else {
                throw EVTXParseError.invalid(String(format0x: type, "unsupported value type"))
            }
            guard b.count - start >= w else { throw EVTXParseError.truncated("fixed-size value", at: start) }
            return try scalar(b, type: type, at: start)
        }
    }

    static func scalar(_ b: UnsafeRawBufferPointer, type: UInt8, at o: Int) throws -> SubstitutionValue {
        switch type {
        case ValueType.int8: return .text(String(Int8(bitPattern: b[o])))
        case ValueType.uint8: return .text(String(b[o]))
        case ValueType.int16: return .text(String(Int16(bitPattern: b.le16(o))))
        case ValueType.uint16: return .text(String(b.le16(o)))
        case ValueType.int32: return .text(String(Int32(bitPattern: b.le32(o))))
        case ValueType.uint32: return .text(String(b.le32(o)))
        case ValueType.int64: return .text(String(Int64(bitPattern: b.le64(o))))
        case ValueType.uint64: return .text(String(b.le64(o)))
        case ValueType.real32: return .text(TextDecoding.real(Double(Float(bitPattern: b.le32(o)))))
        case ValueType.real64: return .text(TextDecoding.real(Double(bitPattern: b.le64(o))))
        // Files with irregular bool values exist: like pyevtx-rs 0.14, print those as numbers.
        case ValueType.bool:
            let v = Int32(bitPattern: b.le32(o))
            return .text(v == 0 ? "false" : v == 1 ? "true" : String(v))
        case ValueType.guid: return .text(TextDecoding.guid(b, at: o))
        case ValueType.hexInt32: return .text(TextDecoding.hexInt(UInt64(b.le32(o))))
        case ValueType.hexInt64: return .text(TextDecoding.hexInt(b.le64(o)))
        case ValueType.filetime:
            let ft = b.le64(o)
            // Past year 9999 is garbage, and evtx-rs fails such a record: so do we.
            guard ft <= WindowsTime.maxFiletime else { throw EVTXParseError.invalid("out-of-range FILETIME at \(o)") }
            return .time(WindowsTime.isoMicros(filetime: ft), ft)
        case ValueType.systemtime:
            guard let ft = WindowsTime.filetime(systemtime: b, at: o) else {
                throw EVTXParseError.invalid("out-of-range SYSTEMTIME at \(o)")
            }
            return .time(WindowsTime.isoMicros(filetime: ft), ft)
        default:
            throw EVTXParseError.invalid(String(format0x: type, "unsupported value type"))
        }
    }

    /// A SID at `o`: 8-byte header plus 4 bytes per sub-authority, within `limit`.
    static func sid(_ b: UnsafeRawBufferPointer, at o: Int, limit: Int) throws -> String {
        guard limit - o >= 8 else { throw EVTXParseError.truncated("SID", at: o) }
        let n = Int(b[o + 1])
        guard b.count - o >= 8 + 4 * n else { throw EVTXParseError.truncated("SID sub-authorities", at: o) }
        return TextDecoding.sid(b, at: o, subCount: n)
    }

    static func decodeArray(_ b: UnsafeRawBufferPointer, itemType: UInt8, start: Int, size: Int) throws -> [String] {
        var items = [String]()
        let end = start + size
        switch itemType {
        case ValueType.string:
            // NUL-terminated strings back to back.
            var p = start
            while p < end {
                var q = p
                while q + 1 < end && b.le16(q) != 0 { q += 2 }
                guard q + 1 < end else { throw EVTXParseError.truncated("string array item", at: p) }
                items.append(TextDecoding.utf16(b, start: p, units: (q - p) / 2))
                p = q + 2
            }
        case ValueType.sid:
            var p = start
            while p < end {
                let s = try sid(b, at: p, limit: end)
                items.append(s)
                p += 8 + 4 * Int(b[p + 1])
            }
        default:
            guard let w = ValueType.fixedWidth(itemType), size % w == 0 else {
                throw EVTXParseError.invalid(String(format0x: itemType | ValueType.array, "unsupported array value"))
            }
            items.reserveCapacity(size / w)
            var p = start
            while p < end {
                switch try scalar(b, type: itemType, at: p) {
                case .text(let s), .time(let s, _): items.append(s)
                default: break
                }
                p += w
            }
        }
        return items
    }
}

extension String {
    init(format0x v: UInt8, _ what: String) {
        self = what + " 0x" + String(v, radix: 16)
    }
}
