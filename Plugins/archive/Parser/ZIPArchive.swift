/// A ZIP archive read from its bytes in memory, through its central directory: every offset,
/// length and count is checked against the bytes there, so a damaged or hostile archive yields
/// fewer members or an error, never a read outside the buffer.
///
/// Stored and deflated members are read, ZIP64 archives and sizes included; encrypted ones and
/// other methods are listed as skipped with the reason.
public struct ZIPArchive {
    public struct Entry: Sendable, Equatable {
        /// The name as stored (bytes as UTF-8, invalid sequences replaced); never a file-system path.
        public var name: String
        public var method: UInt16
        public var compressedSize: Int
        public var size: Int
        public var isDirectory: Bool
        public var isEncrypted: Bool
        /// Where the member's local header starts.
        var localHeaderOffset: Int
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// No end-of-central-directory record: not a ZIP, or cut off.
        case notAnArchive
        case corrupt(String)

        public var description: String {
            switch self {
            case .notAnArchive: "no ZIP end-of-central-directory record"
            case .corrupt(let why): "corrupt ZIP: \(why)"
            }
        }
    }

    public let entries: [Entry]
    private let bytes: UnsafeRawBufferPointer

    /// The central directory's entries; `bytes` must outlive the archive.
    public init(_ bytes: UnsafeRawBufferPointer, maxEntries: Int = 1_000_000) throws {
        self.bytes = bytes
        let end = try Self.endRecord(bytes)
        var count = Int(Self.u16(bytes, end + 10))
        var directorySize = Int(Self.u32(bytes, end + 12))
        var directoryOffset = Int(Self.u32(bytes, end + 16))
        // ZIP64: the classic record's fields are full, and the ZIP64 end record, found through the
        // locator just before it, holds the real ones.
        var directoryLimit = end
        if directoryOffset == 0xFFFF_FFFF || directorySize == 0xFFFF_FFFF || count == 0xFFFF,
           let zip64 = Self.zip64EndRecord(bytes, classicEnd: end) {
            count = Int(clamping: Self.u64(bytes, zip64 + 32))
            directorySize = Int(clamping: Self.u64(bytes, zip64 + 40))
            directoryOffset = Int(clamping: Self.u64(bytes, zip64 + 48))
            directoryLimit = zip64
        }
        guard directoryOffset <= directoryLimit, directorySize <= directoryLimit - directoryOffset else {
            throw Failure.corrupt("central directory at \(directoryOffset)+\(directorySize) is outside the file")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(min(count, maxEntries, 4096))
        var at = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        // The count in the end record is only 16 bits (and may lie): the directory's own bytes decide.
        while at + 46 <= directoryEnd && entries.count < maxEntries {
            guard Self.u32(bytes, at) == 0x0201_4B50 else { break }
            let flags = Self.u16(bytes, at + 8)
            let nameLength = Int(Self.u16(bytes, at + 28))
            let extraLength = Int(Self.u16(bytes, at + 30))
            let commentLength = Int(Self.u16(bytes, at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw Failure.corrupt("directory entry \(entries.count) runs past the directory") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(at + 46)..<(at + 46 + nameLength)]), as: UTF8.self)
            var entry = Entry(name: name, method: Self.u16(bytes, at + 10), compressedSize: Int(Self.u32(bytes, at + 20)),
                              size: Int(Self.u32(bytes, at + 24)),
                              isDirectory: name.hasSuffix("/"), isEncrypted: flags & 1 != 0,
                              localHeaderOffset: Int(Self.u32(bytes, at + 42)))
            Self.applyZIP64(&entry, extra: UnsafeRawBufferPointer(rebasing: bytes[(at + 46 + nameLength)..<(at + 46 + nameLength + extraLength)]))
            entries.append(entry)
            at = next
        }
        self.entries = entries
    }

    /// Why a member cannot be read, or nil when it can.
    public static func unreadable(_ entry: Entry) -> String? {
        // Method 99 is WinZip's AES encryption.
        if entry.isEncrypted || entry.method == 99 { return "encrypted" }
        if entry.size == 0xFFFF_FFFF || entry.compressedSize == 0xFFFF_FFFF { return "ZIP64 sizes missing" }
        if entry.method != 0 && entry.method != 8 { return "compression method \(entry.method)" }
        return nil
    }

    /// The ZIP64 extended information field (0x0001) holds, in this order, the values whose
    /// 32-bit fields are full: size, compressed size, local header offset.
    private static func applyZIP64(_ entry: inout Entry, extra: UnsafeRawBufferPointer) {
        var at = 0
        while at + 4 <= extra.count {
            let id = u16(extra, at), length = Int(u16(extra, at + 2))
            guard at + 4 + length <= extra.count else { return }
            if id == 0x0001 {
                var field = at + 4
                let end = at + 4 + length
                func take(_ value: inout Int) {
                    guard value == 0xFFFF_FFFF, field + 8 <= end else { return }
                    value = Int(clamping: u64(extra, field))
                    field += 8
                }
                take(&entry.size)
                take(&entry.compressedSize)
                take(&entry.localHeaderOffset)
                return
            }
            at += 4 + length
        }
    }

    /// The ZIP64 end-of-central-directory record, through the locator 20 bytes before the classic
    /// record; nil when there is none or it points outside the bytes.
    private static func zip64EndRecord(_ bytes: UnsafeRawBufferPointer, classicEnd: Int) -> Int? {
        let locator = classicEnd - 20
        guard locator >= 0, u32(bytes, locator) == 0x0706_4B50 else { return nil }
        let record = Int(clamping: u64(bytes, locator + 8))
        guard record >= 0, record <= locator - 56, u32(bytes, record) == 0x0606_4B50 else { return nil }
        return record
    }

    /// The member's stored bytes (compressed for method 8), located through its local header.
    public func storedBytes(of entry: Entry) throws -> UnsafeRawBufferPointer {
        let at = entry.localHeaderOffset
        guard at <= bytes.count - 30, at >= 0, Self.u32(bytes, at) == 0x0403_4B50 else {
            throw Failure.corrupt("no local header for \(entry.name) at \(at)")
        }
        let start = at + 30 + Int(Self.u16(bytes, at + 26)) + Int(Self.u16(bytes, at + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw Failure.corrupt("data of \(entry.name) runs past the end of the archive")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + entry.compressedSize)])
    }

    /// The end-of-central-directory record: searched backwards over the last 64 KiB + 22 bytes
    /// (the record and the longest comment).
    private static func endRecord(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard bytes.count >= 22 else { throw Failure.notAnArchive }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var at = bytes.count - 22
        while at >= lowest {
            if u32(bytes, at) == 0x0605_4B50 { return at }
            at -= 1
        }
        throw Failure.notAnArchive
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static func u64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(u32(b, at)) | UInt64(u32(b, at + 4)) << 32
    }
}
