/// Building Swift strings from on-disk UTF-16LE, ANSI (Windows-1252) and hex bytes.
enum TextDecoding {
    /// `units` UTF-16LE code units at `start`, cut at the first NUL when `stopAtNul`.
    /// Unpaired surrogates are dropped, as pyevtx-rs does. The caller has bounds-checked the range.
    static func utf16(_ b: UnsafeRawBufferPointer, start: Int, units: Int, stopAtNul: Bool = true) -> String {
        guard units > 0, let base = b.baseAddress, start >= 0, start + 2 * units <= b.count else { return "" }
        let src = base + start
        // One pass for the common ASCII case: copy low bytes until NUL or a non-ASCII unit.
        var nonASCII = false
        let ascii = String(unsafeUninitializedCapacity: units) { dst in
            for i in 0..<units {
                let u = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                if u == 0 && stopAtNul { return i }
                if u >= 0x80 { nonASCII = true; return 0 }
                dst[i] = UInt8(truncatingIfNeeded: u)
            }
            return units
        }
        if !nonASCII { return ascii }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < units {
            let u = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            i += 1
            if u == 0 && stopAtNul { break }
            if u < 0xD800 || u > 0xDFFF {
                if let s = Unicode.Scalar(UInt32(u)) { scalars.append(s) }
            } else if u < 0xDC00, i < units {
                let lo = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                if lo >= 0xDC00 && lo <= 0xDFFF {
                    i += 1
                    let v = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(lo) - 0xDC00)
                    if let s = Unicode.Scalar(v) { scalars.append(s) }
                }
            }
        }
        return String(scalars)
    }

    /// Windows-1252 bytes 0x80...0x9F; the rest of the range equals Latin-1.
    private static let cp1252High: [UInt16] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// ANSI string value: NUL bytes dropped (as evtx-rs does), decoded as Windows-1252.
    static func ansi(_ b: UnsafeRawBufferPointer, start: Int, count: Int) -> String {
        var cu = [UInt16]()
        cu.reserveCapacity(count)
        for i in start..<(start + count) {
            let c = b[i]
            if c == 0 { continue }
            cu.append(c >= 0x80 && c < 0xA0 ? cp1252High[Int(c - 0x80)] : UInt16(c))
        }
        return String(decoding: cu, as: UTF16.self)
    }

    private static let hexUpper: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Upper-case hex of `count` bytes at `start` (binary values).
    static func hex(_ b: UnsafeRawBufferPointer, start: Int, count: Int) -> String {
        if count == 0 { return "" }
        return String(unsafeUninitializedCapacity: count * 2) { dst in
            for i in 0..<count {
                let c = b[start + i]
                dst[2 * i] = hexUpper[Int(c >> 4)]
                dst[2 * i + 1] = hexUpper[Int(c & 0xF)]
            }
            return count * 2
        }
    }

    /// GUID in registry form without braces, upper case: data1-3 little-endian.
    static func guid(_ b: UnsafeRawBufferPointer, at off: Int) -> String {
        let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
        return String(unsafeUninitializedCapacity: 36) { dst in
            var n = 0
            for (i, idx) in order.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { dst[n] = UInt8(ascii: "-"); n += 1 }
                let c = b[off + idx]
                dst[n] = hexUpper[Int(c >> 4)]
                dst[n + 1] = hexUpper[Int(c & 0xF)]
                n += 2
            }
            return n
        }
    }

    /// `S-R-A-S1-...`: revision, 48-bit big-endian authority, little-endian sub-authorities.
    static func sid(_ b: UnsafeRawBufferPointer, at off: Int, subCount: Int) -> String {
        var authority: UInt64 = 0
        for i in 2..<8 { authority = (authority << 8) | UInt64(b[off + i]) }
        // "S-" + 3 + "-" + 15 digits + 255 * 11 at most.
        return String(unsafeUninitializedCapacity: 24 + 11 * subCount) { out in
            out[0] = UInt8(ascii: "S")
            out[1] = UInt8(ascii: "-")
            var n = writeDecimal(out, 2, UInt64(b[off]))
            out[n] = UInt8(ascii: "-")
            n = writeDecimal(out, n + 1, authority)
            for i in 0..<subCount {
                out[n] = UInt8(ascii: "-")
                n = writeDecimal(out, n + 1, UInt64(b.le32(off + 8 + 4 * i)))
            }
            return n
        }
    }

    private static func writeDecimal(_ out: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ v: UInt64) -> Int {
        var digits = 1
        var p: UInt64 = 10
        while digits < 20 && v >= p { digits += 1; p = p &* 10 }
        var x = v
        var i = at + digits - 1
        while i >= at {
            out[i] = UInt8(ascii: "0") + UInt8(x % 10)
            x /= 10
            i -= 1
        }
        return at + digits
    }

    static func hexInt(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// Rust `Display` style: integral values without a fraction.
    static func real(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e16 { return String(Int64(v)) }
        return v.description
    }
}
