/// The 4096-byte file header ("ElfFile\0").
public struct EVTXFileHeader: Sendable {
    public let firstChunk: UInt64
    public let lastChunk: UInt64
    public let nextRecordID: UInt64
    public let minorVersion: UInt16
    public let majorVersion: UInt16
    public let headerBlockSize: UInt16
    /// Chunk count the header claims; dirty files hold more. The parser scans all chunks.
    public let chunkCount: UInt16
    public let flags: UInt32
    public let checksumOK: Bool

    public var isDirty: Bool { flags & 1 != 0 }

    static let magic: [UInt8] = Array("ElfFile\0".utf8)
    static let size = 4096

    init(_ b: UnsafeRawBufferPointer) {
        firstChunk = b.le64(8)
        lastChunk = b.le64(16)
        nextRecordID = b.le64(24)
        minorVersion = b.le16(36)
        majorVersion = b.le16(38)
        headerBlockSize = b.le16(40)
        chunkCount = b.le16(42)
        flags = b.le32(120)
        checksumOK = CRC32.checksum(UnsafeRawBufferPointer(rebasing: b[0..<120])) == b.le32(124)
    }
}

/// The 512-byte chunk header ("ElfChnk\0") with its string and template tables.
struct ChunkHeader {
    let firstRecordID: UInt64
    let lastRecordID: UInt64
    let freeSpaceOffset: UInt32
    let dataChecksum: UInt32
    let flags: UInt32
    let headerChecksum: UInt32

    static let magic: [UInt8] = Array("ElfChnk\0".utf8)
    static let size = 512
    static let chunkSize = 65536
    /// Flag set by writers that do not maintain the CRCs.
    static let noCRC32: UInt32 = 4

    init(_ b: UnsafeRawBufferPointer) {
        firstRecordID = b.le64(24)
        lastRecordID = b.le64(32)
        freeSpaceOffset = b.le32(48)
        dataChecksum = b.le32(52)
        flags = b.le32(120)
        headerChecksum = b.le32(124)
    }

    /// CRC32 over bytes 0..<120 and 128..<512 (the checksum field itself excluded).
    func headerChecksumOK(_ b: UnsafeRawBufferPointer) -> Bool {
        let c = CRC32.update(CRC32.checksum(UnsafeRawBufferPointer(rebasing: b[0..<120])),
                             UnsafeRawBufferPointer(rebasing: b[128..<ChunkHeader.size]))
        return c == headerChecksum
    }

    /// CRC32 over the records, from the end of the header to the free space offset.
    func dataChecksumOK(_ b: UnsafeRawBufferPointer) -> Bool {
        let end = Int(freeSpaceOffset)
        guard end >= ChunkHeader.size, end <= b.count else { return false }
        return CRC32.checksum(UnsafeRawBufferPointer(rebasing: b[ChunkHeader.size..<end])) == dataChecksum
    }
}

extension UnsafeRawBufferPointer {
    func hasPrefix(_ magic: [UInt8], at off: Int = 0) -> Bool {
        guard off >= 0, count - off >= magic.count else { return false }
        for (i, m) in magic.enumerated() where self[off + i] != m { return false }
        return true
    }
}
