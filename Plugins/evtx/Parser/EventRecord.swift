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

    /// A flat JSON object of the fields in order; all values are strings. Written straight
    /// into the string's storage, sized exactly beforehand.
    public func renderJSON() -> String {
        // Escapes are rare: the sizing pass marks the strings that need them (bit 2i: name of
        // field i, 2i+1: its value; past 64 fields the writer checks for itself).
        var size = 1
        var marks: (UInt64, UInt64) = (0, 0)
        var i = 0
        forEachField { n, v in
            let en = JSONText.escapeExtra(n), ev = JSONText.escapeExtra(v)
            size += n.count + v.count + 6 + en + ev
            if i < 64 {
                let bits = (en > 0 ? UInt64(1) : 0) | (ev > 0 ? 2 : 0)
                if i < 32 { marks.0 |= bits << (2 * UInt64(i)) } else { marks.1 |= bits << (2 * UInt64(i - 32)) }
            }
            i += 1
            return true
        }
        return String(unsafeUninitializedCapacity: max(size, 2)) { buf in
            var w = JSONText.Writer(buf)
            w.put(UInt8(ascii: "{"))
            var k = 0
            forEachField { n, v in
                if k > 0 { w.put(UInt8(ascii: ",")) }
                let bits = k >= 64 ? 3 : (k < 32 ? marks.0 >> (2 * UInt64(k)) : marks.1 >> (2 * UInt64(k - 32))) & 3
                w.string(n, plain: bits & 1 == 0)
                w.put(UInt8(ascii: ":"))
                w.string(v, plain: bits & 2 == 0)
                k += 1
                return true
            }
            w.put(UInt8(ascii: "}"))
            return w.count
        }
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

    /// Whether any byte of `u` needs escaping, eight bytes at a time (the last word overlaps).
    static func containsEscape(_ u: UnsafeRawBufferPointer) -> Bool {
        let n = u.count
        if n < 8 {
            for c in u where needsEscape(c) { return true }
            return false
        }
        var i = 0
        while n - i > 8 {
            if anyNeedsEscape(u.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return anyNeedsEscape(u.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// The index of the first byte at or after `i` that needs escaping, else `u.count`;
    /// clean words of eight bytes are skipped whole.
    static func nextEscape(_ u: UnsafeRawBufferPointer, from i0: Int) -> Int {
        var i = i0
        while u.count - i >= 8 && !anyNeedsEscape(u.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
        while i < u.count && !needsEscape(u[i]) { i += 1 }
        return i
    }

    /// How many bytes escaping adds to `u`.
    static func escapeExtra(_ u: UnsafeRawBufferPointer) -> Int {
        guard containsEscape(u) else { return 0 }
        var extra = 0
        var i = nextEscape(u, from: 0)
        while i < u.count {
            let c = u[i]
            extra += c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") ? 1 : 5
            i = nextEscape(u, from: i + 1)
        }
        return extra
    }

    /// Writes into a buffer sized beforehand; a write that would not fit is dropped.
    struct Writer {
        let buf: UnsafeMutableBufferPointer<UInt8>
        private(set) var count = 0

        init(_ buf: UnsafeMutableBufferPointer<UInt8>) { self.buf = buf }

        @inline(__always)
        mutating func put(_ c: UInt8) {
            guard count < buf.count else { return }
            buf[count] = c
            count += 1
        }

        mutating func put(_ u: UnsafeRawBufferPointer) {
            guard let src = u.baseAddress, let dst = buf.baseAddress, u.count > 0, buf.count - count >= u.count else { return }
            ByteBuffer.copy(UnsafeMutableRawPointer(dst + count), src, u.count)
            count += u.count
        }

        /// A JSON string literal of UTF-8 bytes: quotes, backslashes and control characters
        /// escaped. `plain`: the caller knows that nothing needs escaping.
        mutating func string(_ u: UnsafeRawBufferPointer, plain: Bool) {
            put(UInt8(ascii: "\""))
            if plain || !containsEscape(u) {
                put(u)
                return put(UInt8(ascii: "\""))
            }
            var runStart = 0
            var i = nextEscape(u, from: 0)
            while i < u.count {
                let c = u[i]
                put(UnsafeRawBufferPointer(rebasing: u[runStart..<i]))
                runStart = i + 1
                put(UInt8(ascii: "\\"))
                switch c {
                case 0x0A: put(UInt8(ascii: "n"))
                case 0x0D: put(UInt8(ascii: "r"))
                case 0x09: put(UInt8(ascii: "t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(c)
                default:
                    put(UInt8(ascii: "u"))
                    put(UInt8(ascii: "0"))
                    put(UInt8(ascii: "0"))
                    put(hex.utf8Start[Int(c >> 4)])
                    put(hex.utf8Start[Int(c & 0xF)])
                }
                i = nextEscape(u, from: i + 1)
            }
            put(UnsafeRawBufferPointer(rebasing: u[runStart..<u.count]))
            put(UInt8(ascii: "\""))
        }
    }
}
