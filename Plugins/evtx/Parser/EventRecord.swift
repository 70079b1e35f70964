/// One named value of an event.
public struct EventField: Equatable, Sendable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Where a field's name and value are: ranges of the record's bytes (see `TextRef`).
struct FieldSpan {
    var key: TextRef
    var value: TextRef
}

/// One EVTX record as a flat event: its header values and its fields in document order.
/// Field names and values are kept as UTF-8 bytes; Swift strings are made only on request
/// (`fields`, `value(_:)`), and the renderers write straight from the bytes.
public struct EventRecord: Sendable {
    /// Record number from the record header (equals System/EventRecordID in sane files).
    public let recordID: UInt64
    /// Record header FILETIME (when the record was written).
    public let writtenTime: UInt64
    /// System/TimeCreated as FILETIME when it is a time value, else `writtenTime`.
    public let timeCreated: UInt64
    /// Index of the 64 KiB chunk and file offset of the record.
    public let chunkIndex: Int
    public let fileOffset: Int
    /// Names and literal text shared by the records of a chunk, and this record's own text.
    let shared: [UInt8]
    let storage: RecordStorage

    init(recordID: UInt64, writtenTime: UInt64, timeCreated: UInt64, chunkIndex: Int, fileOffset: Int,
         shared: [UInt8], storage: RecordStorage) {
        self.recordID = recordID
        self.writtenTime = writtenTime
        self.timeCreated = timeCreated
        self.chunkIndex = chunkIndex
        self.fileOffset = fileOffset
        self.shared = shared
        self.storage = storage
    }

    public var fieldCount: Int { storage.spans.count }

    /// Calls `body` with the UTF-8 bytes of every field's name and value, in order, without
    /// making strings; `body` returns false to stop.
    public func forEachField(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool) rethrows {
        try shared.withUnsafeBytes { s in
            try storage.bytes.withUnsafeBytes { o in
                for f in storage.spans where try !body(f.key.bytes(shared: s, own: o), f.value.bytes(shared: s, own: o)) { return }
            }
        }
    }

    /// The fields as strings, made on each call.
    public var fields: [EventField] {
        var out = [EventField]()
        out.reserveCapacity(fieldCount)
        forEachField { n, v in
            out.append(EventField(name: String(decoding: n, as: UTF8.self), value: String(decoding: v, as: UTF8.self)))
            return true
        }
        return out
    }

    /// The first field with this name (names compare as Swift strings do).
    public func value(_ name: String) -> String? {
        var query = name
        return query.withUTF8 { q in
            let ascii = q.allSatisfy { $0 < 0x80 }
            var found: String?
            forEachField { n, v in
                // Non-ASCII names may be canonically equal with other bytes: compare as strings.
                if n.elementsEqual(UnsafeRawBufferPointer(q))
                    || ((!ascii || n.contains { $0 >= 0x80 }) && String(decoding: n, as: UTF8.self) == name) {
                    found = String(decoding: v, as: UTF8.self)
                    return false
                }
                return true
            }
            return found
        }
    }

    /// System/TimeCreated as evtx-rs prints it (`2013-10-23T16:22:39.973500Z`); empty when
    /// the record has none (then `timeCreated` falls back to the written time).
    public var timeCreatedString: String { value("TimeCreated") ?? "" }

    /// Record header time as evtx-rs prints it (`2013-10-23T16:22:39.9735Z`).
    public var writtenTimeString: String { WindowsTime.isoTrimmed(filetime: writtenTime) }

    /// THOR's text form: `Key: Value  Key: Value`.
    public func renderText() -> String {
        var size = 0
        forEachField { n, v in size += n.count + v.count + 4; return true }
        var out = ByteBuffer(capacity: size)
        forEachField { n, v in
            if out.count > 0 { out.append("  ") }
            out.append(n)
            out.append(": ")
            out.append(v)
            return true
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// A flat JSON object of the fields in order; all values are strings.
    public func renderJSON() -> String {
        var size = 2
        forEachField { n, v in size += n.count + v.count + 6; return true }
        var out = ByteBuffer(capacity: size)
        out.append(UInt8(ascii: "{"))
        forEachField { n, v in
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(&out, n)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(&out, v)
            return true
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

enum JSONText {
    private static let hex: StaticString = "0123456789abcdef"

    /// Whether any of the eight bytes of `w` needs escaping (SWAR: a byte below 0x20, `"` or `\\`).
    @inline(__always)
    private static func anyNeedsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (w &- 0x20 &* ones) & ~w & highs
        let q = w ^ (0x22 &* ones), bs = w ^ (0x5C &* ones)
        return (below20 | ((q &- ones) & ~q & highs) | ((bs &- ones) & ~bs & highs)) != 0
    }

    @inline(__always)
    private static func needsEscape(_ c: UInt8) -> Bool {
        c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\")
    }

    /// A JSON string literal of UTF-8 bytes: quotes, backslashes and control characters escaped.
    static func appendString(_ out: inout ByteBuffer, _ u: UnsafeRawBufferPointer) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        while i < u.count {
            if u.count - i >= 8 && !anyNeedsEscape(u.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
                continue
            }
            let c = u[i]
            if !needsEscape(c) {
                i += 1
                continue
            }
            out.append(UnsafeRawBufferPointer(rebasing: u[runStart..<i]))
            i += 1
            runStart = i
            out.reserve(6)
            out.put(UInt8(ascii: "\\"))
            switch c {
            case 0x0A: out.put(UInt8(ascii: "n"))
            case 0x0D: out.put(UInt8(ascii: "r"))
            case 0x09: out.put(UInt8(ascii: "t"))
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.put(c)
            default:
                out.append("u00")
                out.put(hex.utf8Start[Int(c >> 4)])
                out.put(hex.utf8Start[Int(c & 0xF)])
            }
        }
        out.append(UnsafeRawBufferPointer(rebasing: u[runStart..<u.count]))
        out.append(UInt8(ascii: "\""))
    }
}
