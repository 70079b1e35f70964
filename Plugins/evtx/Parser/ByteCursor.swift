/// Bounds-checked little-endian reads over a borrowed byte buffer.
///
/// Every read checks the remaining length first and throws `EVTXParseError` instead of
/// trapping, so hostile offsets and lengths can at worst fail one record or chunk.
struct ByteCursor {
    let buf: UnsafeRawBufferPointer
    var pos: Int

    init(_ buf: UnsafeRawBufferPointer, at pos: Int = 0) {
        self.buf = buf
        self.pos = pos
    }

    var remaining: Int { buf.count - pos }

    @inline(__always)
    func ensure(_ n: Int, _ what: StaticString) throws {
        guard n >= 0, pos >= 0, pos <= buf.count, buf.count - pos >= n else {
            throw EVTXParseError.truncated(what, at: pos)
        }
    }

    @inline(__always)
    mutating func u8(_ what: StaticString = "u8") throws -> UInt8 {
        try ensure(1, what)
        defer { pos += 1 }
        return buf[pos]
    }

    @inline(__always)
    mutating func u16(_ what: StaticString = "u16") throws -> UInt16 {
        try ensure(2, what)
        defer { pos += 2 }
        return UInt16(littleEndian: buf.loadUnaligned(fromByteOffset: pos, as: UInt16.self))
    }

    @inline(__always)
    mutating func u32(_ what: StaticString = "u32") throws -> UInt32 {
        try ensure(4, what)
        defer { pos += 4 }
        return UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
    }

    @inline(__always)
    mutating func u64(_ what: StaticString = "u64") throws -> UInt64 {
        try ensure(8, what)
        defer { pos += 8 }
        return UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
    }

    @inline(__always)
    mutating func skip(_ n: Int, _ what: StaticString) throws {
        try ensure(n, what)
        pos += n
    }
}

/// Unchecked-free helpers for fixed offsets in a buffer already known to be long enough.
extension UnsafeRawBufferPointer {
    @inline(__always)
    func le16(_ off: Int) -> UInt16 {
        guard off >= 0, off + 2 <= count else { return 0 }
        return UInt16(littleEndian: loadUnaligned(fromByteOffset: off, as: UInt16.self))
    }

    @inline(__always)
    func le32(_ off: Int) -> UInt32 {
        guard off >= 0, off + 4 <= count else { return 0 }
        return UInt32(littleEndian: loadUnaligned(fromByteOffset: off, as: UInt32.self))
    }

    @inline(__always)
    func le64(_ off: Int) -> UInt64 {
        guard off >= 0, off + 8 <= count else { return 0 }
        return UInt64(littleEndian: loadUnaligned(fromByteOffset: off, as: UInt64.self))
    }
}
