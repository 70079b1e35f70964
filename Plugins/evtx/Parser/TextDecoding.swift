/// Rendering on-disk UTF-16LE, ANSI (Windows-1252), binary, GUID and SID values as UTF-8,
/// appended to a byte buffer.
enum TextDecoding {
    /// `units` UTF-16LE code units at `start`, cut at the first NUL when `stopAtNul`.
    /// Unpaired surrogates are dropped, as pyevtx-rs does. Out-of-bounds ranges append nothing.
    static func utf16(_ b: UnsafeRawBufferPointer, start: Int, units: Int, stopAtNul: Bool = true,
                      into out: inout ByteBuffer) {
        guard units > 0, let base = b.baseAddress, start >= 0, start <= b.count, units <= (b.count - start) / 2 else { return }
        let src = base + start
        out.reserve(3 * units)
        var i = 0
        // Four ASCII units at a time: the common case in event logs.
        while units - i >= 4 {
            let w = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt64.self))
            if w & 0xFF80_FF80_FF80_FF80 != 0 { break }
            if stopAtNul && (w &- 0x0001_0001_0001_0001) & ~w & 0x8000_8000_8000_8000 != 0 { break }
            // The low bytes of the four units, packed into one store.
            let packed = UInt32(truncatingIfNeeded: (w & 0xFF) | ((w >> 8) & 0xFF00) | ((w >> 16) & 0xFF_0000) | ((w >> 24) & 0xFF00_0000))
            out.putWord(packed)
            i += 4
        }
        while i < units {
            let u = UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            i += 1
            if u < 0x80 {
                if u == 0 && stopAtNul { break }
                out.put(UInt8(truncatingIfNeeded: u))
            } else if u < 0xD800 || u > 0xDFFF {
                putScalar(u, &out)
            } else if u < 0xDC00, i < units {
                let lo = UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                if lo >= 0xDC00 && lo <= 0xDFFF {
                    i += 1
                    putScalar(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), &out)
                }
            }
        }
    }

    /// UTF-8 of a scalar value into room already reserved (up to 4 bytes).
    @inline(__always)
    static func putScalar(_ v: UInt32, _ out: inout ByteBuffer) {
        if v < 0x80 {
            out.put(UInt8(v))
        } else if v < 0x800 {
            out.put(UInt8(0xC0 | (v >> 6)))
            out.put(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.put(UInt8(0xE0 | (v >> 12)))
            out.put(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.put(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.put(UInt8(0xF0 | (v >> 18)))
            out.put(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.put(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.put(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// A character reference: one UTF-16 unit; a lone surrogate becomes U+FFFD.
    static func characterReference(_ u: UInt16, into out: inout ByteBuffer) {
        out.reserve(4)
        putScalar(u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : UInt32(u), &out)
    }

    /// Windows-1252 bytes 0x80...0x9F; the rest of the range equals Latin-1.
    private static let cp1252High: [UInt16] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// ANSI string value: NUL bytes dropped (as evtx-rs does), decoded as Windows-1252.
    /// The caller has bounds-checked the range.
    static func ansi(_ b: UnsafeRawBufferPointer, start: Int, count: Int, into out: inout ByteBuffer) {
        guard start >= 0, count > 0, start <= b.count - count else { return }
        out.reserve(3 * count)
        for i in start..<(start + count) {
            let c = b[i]
            if c == 0 { continue }
            putScalar(c >= 0x80 && c < 0xA0 ? UInt32(cp1252High[Int(c - 0x80)]) : UInt32(c), &out)
        }
    }

    private static let hexUpper: StaticString = "0123456789ABCDEF"

    /// Upper-case hex of `count` bytes at `start` (binary values).
    static func hex(_ b: UnsafeRawBufferPointer, start: Int, count: Int, into out: inout ByteBuffer) {
        guard start >= 0, count > 0, start <= b.count - count else { return }
        out.reserve(2 * count)
        let hex = hexUpper.utf8Start
        for i in start..<(start + count) {
            let c = b[i]
            out.put(hex[Int(c >> 4)])
            out.put(hex[Int(c & 0xF)])
        }
    }

    /// GUID in registry form without braces, upper case: data1-3 little-endian.
    /// The caller has checked that 16 bytes are there.
    static func guid(_ b: UnsafeRawBufferPointer, at off: Int, into out: inout ByteBuffer) {
        guard off >= 0, off <= b.count - 16 else { return }
        out.reserve(36)
        let hex = hexUpper.utf8Start
        func byte(_ i: Int, _ out: inout ByteBuffer) {
            let c = b[off + i]
            out.put(hex[Int(c >> 4)])
            out.put(hex[Int(c & 0xF)])
        }
        byte(3, &out); byte(2, &out); byte(1, &out); byte(0, &out)
        out.put(UInt8(ascii: "-"))
        byte(5, &out); byte(4, &out)
        out.put(UInt8(ascii: "-"))
        byte(7, &out); byte(6, &out)
        out.put(UInt8(ascii: "-"))
        byte(8, &out); byte(9, &out)
        out.put(UInt8(ascii: "-"))
        for i in 10..<16 { byte(i, &out) }
    }

    /// `S-R-A-S1-...`: revision, 48-bit big-endian authority, little-endian sub-authorities.
    /// The caller has checked that the header and `subCount` sub-authorities are there.
    static func sid(_ b: UnsafeRawBufferPointer, at off: Int, subCount: Int, into out: inout ByteBuffer) {
        guard off >= 0, subCount >= 0, off <= b.count - 8 - 4 * subCount else { return }
        var authority: UInt64 = 0
        for i in 2..<8 { authority = (authority << 8) | UInt64(b[off + i]) }
        out.append(UInt8(ascii: "S"))
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(UInt64(b[off]))
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(authority)
        for i in 0..<subCount {
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(UInt64(b.le32(off + 8 + 4 * i)))
        }
    }

    /// Rust `Display` style: integral values without a fraction.
    static func real(_ v: Double, into out: inout ByteBuffer) {
        if v.isFinite, v == v.rounded(), abs(v) < 1e16 { return out.appendDecimal(signed: Int64(v)) }
        var s = v.description
        s.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
    }
}
