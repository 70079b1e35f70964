/// The regular files of a TAR archive (ustar, GNU and old V7 headers) in memory: 512-byte
/// headers, sizes in octal or GNU base-256, GNU long names. Every size is checked against the
/// bytes there; a damaged header ends the walk with what was read so far.
public struct TARArchive {
    public struct Member: Sendable, Equatable {
        public var name: String
        public var offset: Int
        public var size: Int
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAnArchive

        public var description: String { "no TAR header" }
    }

    public let members: [Member]
    /// Set when the walk stopped at a header that is not one (a cut or damaged archive).
    public let damagedAt: Int?

    /// `ustar` at offset 257, or a first header whose checksum is right (V7 archives have no magic).
    public static func looksLikeTAR(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 512 else { return false }
        if bytes[257] == UInt8(ascii: "u") && bytes[258] == UInt8(ascii: "s") && bytes[259] == UInt8(ascii: "t")
            && bytes[260] == UInt8(ascii: "a") && bytes[261] == UInt8(ascii: "r") { return true }
        return checksumMatches(bytes, at: 0)
    }

    public init(_ bytes: UnsafeRawBufferPointer, maxMembers: Int = 1_000_000) throws {
        guard Self.looksLikeTAR(bytes) else { throw Failure.notAnArchive }
        var members: [Member] = []
        var at = 0
        var longName: String?
        var damaged: Int?
        while at + 512 <= bytes.count && members.count < maxMembers {
            // Two zero blocks end the archive; one is enough to stop.
            if (0..<512).allSatisfy({ bytes[at + $0] == 0 }) { break }
            guard Self.checksumMatches(bytes, at: at), let size = Self.size(bytes, at: at + 124) else {
                damaged = at
                break
            }
            let data = at + 512
            guard size <= bytes.count - data else {
                damaged = at
                break
            }
            let type = bytes[at + 156]
            switch type {
            case UInt8(ascii: "L"):
                // GNU long name: the next header's name, NUL-terminated in this member's data.
                longName = Self.text(bytes, data, min(size, 64 << 10))
            case UInt8(ascii: "x"):
                // POSIX pax header: its `path` record names the next member.
                longName = Self.paxPath(UnsafeRawBufferPointer(rebasing: bytes[data..<(data + min(size, 64 << 10))])) ?? longName
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                members.append(Member(name: longName ?? Self.headerName(bytes, at: at), offset: data, size: size))
                longName = nil
            default:
                // Directories, links, devices, pax headers: nothing to scan.
                longName = nil
            }
            // Within the bytes: `size` was checked against them.
            at = data + (size + 511) / 512 * 512
        }
        self.members = members
        damagedAt = damaged
    }

    /// `prefix/name` of a ustar header, `name` of the others.
    private static func headerName(_ bytes: UnsafeRawBufferPointer, at: Int) -> String {
        let name = text(bytes, at, 100)
        let isUstar = bytes[at + 257] == UInt8(ascii: "u") && bytes[at + 262] == 0
        let prefix = isUstar ? text(bytes, at + 345, 155) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// The value of the `path` record of pax records (`LENGTH key=value\n`, LENGTH counting the whole record).
    private static func paxPath(_ records: UnsafeRawBufferPointer) -> String? {
        var at = 0
        while at < records.count {
            var length = 0
            var i = at
            while i < records.count, records[i] >= UInt8(ascii: "0"), records[i] <= UInt8(ascii: "9"), length < 1 << 20 {
                length = length * 10 + Int(records[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i < records.count, records[i] == UInt8(ascii: " "), length > i - at + 1, at + length <= records.count else { return nil }
            let record = UnsafeRawBufferPointer(rebasing: records[(i + 1)..<(at + length - 1)])
            if let equals = record.firstIndex(of: UInt8(ascii: "=")),
               String(decoding: UnsafeRawBufferPointer(rebasing: record[..<equals]), as: UTF8.self) == "path" {
                return String(decoding: UnsafeRawBufferPointer(rebasing: record[(equals + 1)...]), as: UTF8.self)
            }
            at += length
        }
        return nil
    }

    /// Up to `length` bytes at `at`, to the first NUL.
    private static func text(_ bytes: UnsafeRawBufferPointer, _ at: Int, _ length: Int) -> String {
        var end = at
        while end < at + length && end < bytes.count && bytes[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
    }

    /// The 12-byte size: octal digits (spaces and NULs around them), or GNU base-256 (high bit set).
    private static func size(_ bytes: UnsafeRawBufferPointer, at: Int) -> Int? {
        if bytes[at] & 0x80 != 0 {
            var value = 0
            for i in 1..<12 {
                guard value <= Int.max >> 8 else { return nil }
                value = value << 8 | Int(bytes[at + i])
            }
            return bytes[at] == 0x80 ? value : nil
        }
        return octal(bytes, at: at, length: 12)?.value
    }

    /// Octal digits with spaces and NULs around them; nil at any other byte.
    private static func octal(_ bytes: UnsafeRawBufferPointer, at: Int, length: Int) -> (value: Int, digits: Int)? {
        var value = 0
        var digits = 0
        for i in at..<(at + length) {
            let b = bytes[i]
            if b == 0 || b == UInt8(ascii: " ") { if digits > 0 { break } else { continue } }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(b - UInt8(ascii: "0"))
            digits += 1
        }
        return (value, digits)
    }

    /// The header's checksum field against the sum of its bytes (the field counted as spaces).
    private static func checksumMatches(_ bytes: UnsafeRawBufferPointer, at: Int) -> Bool {
        guard let (stored, digits) = octal(bytes, at: at + 148, length: 8), digits > 0 else { return false }
        var sum = 0
        for i in 0..<512 { sum += (148..<156).contains(i) ? 32 : Int(bytes[at + i]) }
        return sum == stored
    }
}
