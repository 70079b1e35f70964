/// A template substitution value as rendered by the parser: text lives in the record's byte
/// buffer (see `RecordText`), so a slot is plain data.
struct ValueSlot {
    enum Kind: UInt8 { case null, text, time, array, binxml }
    var kind: Kind
    /// text, time: the bytes in the record buffer; array: the items in `RecordText.items`;
    /// binxml: the chunk-relative byte range [start, start + count).
    var start: UInt32
    var count: UInt32
    /// time: the FILETIME it stands for.
    var filetime: UInt64 = 0

    static let null = ValueSlot(kind: .null, start: 0, count: 0)
}

/// A substitution value as Swift strings: how `ValueDecoder.decode` presents one value.
enum SubstitutionValue {
    case null
    case text(String)
    /// FILETIME or SYSTEMTIME: rendered text and the FILETIME it stands for.
    case time(String, UInt64)
    /// Array values: an element whose content is an array repeats once per item.
    case array([String])
    /// Nested BinXML, as a chunk-relative byte range.
    case binxml(start: Int, end: Int)
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
    @inline(__always)
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
    /// The value of type `type` occupying `size` bytes at offset `start`, as strings.
    /// Throws for unknown types, out-of-bounds data and invalid dates (see `ValueRenderer`).
    static func decode(_ b: UnsafeRawBufferPointer, type: UInt8, start: Int, size: Int) throws -> SubstitutionValue {
        var text = RecordText()
        let slot = try ValueRenderer.render(b, type: type, start: start, size: size, into: &text)
        switch slot.kind {
        case .null: return .null
        case .text: return .text(text.string(slot.start, slot.count))
        case .time: return .time(text.string(slot.start, slot.count), slot.filetime)
        case .array:
            return .array((Int(slot.start)..<Int(slot.start + slot.count)).map { text.string(text.items[$0]) })
        case .binxml: return .binxml(start: Int(slot.start), end: Int(slot.start + slot.count))
        }
    }
}

extension String {
    init(format0x v: UInt8, _ what: String) {
        self = what + " 0x" + String(v, radix: 16)
    }
}
