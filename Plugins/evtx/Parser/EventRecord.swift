/// One named value of an event.
public struct EventField: Equatable, Sendable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One EVTX record as a flat event: its header values and its fields in document order.
public struct EventRecord: Sendable {
    /// Record number from the record header (equals System/EventRecordID in sane files).
    public let recordID: UInt64
    /// Record header FILETIME (when the record was written).
    public let writtenTime: UInt64
    /// System/TimeCreated as FILETIME when it is a time value, else `writtenTime`.
    public let timeCreated: UInt64
    public let fields: [EventField]
    /// Index of the 64 KiB chunk and file offset of the record.
    public let chunkIndex: Int
    public let fileOffset: Int

    /// The first field with this name.
    public func value(_ name: String) -> String? {
        fields.first(where: { $0.name == name })?.value
    }

    /// System/TimeCreated as evtx-rs prints it (`2013-10-23T16:22:39.973500Z`); empty when
    /// the record has none (then `timeCreated` falls back to the written time).
    public var timeCreatedString: String { value("TimeCreated") ?? "" }

    /// Record header time as evtx-rs prints it (`2013-10-23T16:22:39.9735Z`).
    public var writtenTimeString: String { WindowsTime.isoTrimmed(filetime: writtenTime) }

    /// THOR's text form: `Key: Value  Key: Value`.
    public func renderText() -> String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "  " }
            out += f.name
            out += ": "
            out += f.value
        }
        return out
    }

    /// A flat JSON object of the fields in order; all values are strings.
    public func renderJSON() -> String {
        var out = [UInt8]()
        out.reserveCapacity(64 * fields.count + 2)
        out.append(UInt8(ascii: "{"))
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(&out, f.name)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(&out, f.value)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendString(_ out: inout [UInt8], _ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            var runStart = 0
            for (i, c) in u.enumerated() where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i]))
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch c {
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(c)
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<u.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
