/// What a gzip file holds: one file, named in its header (FNAME) or after the gzip file itself.
public enum GZIPFile {
    public static func isGZIP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 18 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 8
    }

    /// The name of the file inside: the header's FNAME (its last path element), else
    /// `CompressedName.member(of: archiveName)`.
    public static func memberName(_ bytes: UnsafeRawBufferPointer, archiveName: String) -> String {
        if let stored = storedName(bytes), !stored.isEmpty { return stored }
        return CompressedName.member(of: archiveName)
    }

    /// FNAME, bounded by the bytes and 1 KiB, after an FEXTRA field when there is one.
    private static func storedName(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isGZIP(bytes) else { return nil }
        let flags = bytes[3]
        guard flags & 0x08 != 0 else { return nil }
        var at = 10
        if flags & 0x04 != 0 {
            guard at + 2 <= bytes.count else { return nil }
            at += 2 + (Int(bytes[at]) | Int(bytes[at + 1]) << 8)
        }
        var end = at
        while end < bytes.count && end < at + 1024 && bytes[end] != 0 { end += 1 }
        guard end < bytes.count, bytes[end] == 0, end > at else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
        // A name, not a path: whatever the header says, the member stays inside the gzip file.
        return name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)
    }
}
