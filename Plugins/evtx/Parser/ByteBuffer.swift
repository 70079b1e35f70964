/// A growable byte buffer that owns its memory, for rendering record text as UTF-8 without a
/// Swift String or an allocation per value. It is reused from record to record; callers
/// `reserve` an upper bound before the unchecked `put`s of one write.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes. Pointers taken before may move.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if capacity - count < n { grow(n) }
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        var c = capacity * 2
        while c - count < n { c *= 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        UnsafeMutableRawPointer(nb).copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    mutating func removeAll() { count = 0 }

    /// Drops the bytes from `n` on (`n` <= `count`).
    mutating func truncate(to n: Int) { count = min(count, max(0, n)) }

    /// Writes one byte into room already reserved.
    @inline(__always)
    mutating func put(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    /// Writes four bytes (little-endian) into room already reserved.
    @inline(__always)
    mutating func putWord(_ w: UInt32) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: w.littleEndian, as: UInt32.self)
        count += 4
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        put(b)
    }

    @inline(__always)
    mutating func append(_ p: UnsafeRawBufferPointer) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        ByteBuffer.copy(UnsafeMutableRawPointer(base + count), src, p.count)
        count += p.count
    }

    /// Copies `n` bytes; short runs (most names and values) without a call to memcpy.
    /// Writes exactly `n` bytes.
    @inline(__always)
    static func copy(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ n: Int) {
        if n > 16 { return dst.copyMemory(from: src, byteCount: n) }
        if n >= 8 {
            // Two overlapping words cover 8...16 bytes.
            let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let a = src.loadUnaligned(as: UInt32.self), b = src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            dst.storeBytes(of: a, as: UInt32.self)
            dst.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { dst.storeBytes(of: src.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        }
    }

    mutating func append(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends a copy of `n` of this buffer's own bytes from `start` (they stay where they are).
    mutating func appendOwn(from start: Int, count n: Int) {
        guard n > 0, start >= 0, start <= count - n else { return }
        reserve(n)
        ByteBuffer.copy(UnsafeMutableRawPointer(base + count), base + start, n)
        count += n
    }

    /// "00" to "99", for writing two digits at a time.
    static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Two decimal digits of `v` (< 100) into room reserved.
    @inline(__always)
    mutating func putTwoDigits(_ v: Int) {
        let p = ByteBuffer.digitPairs.utf8Start + 2 * v
        put(p[0])
        put(p[1])
    }

    /// Unsigned decimal.
    mutating func appendDecimal(_ v: UInt64) {
        reserve(20)
        var digits = 1
        var p: UInt64 = 10
        while digits < 20 && v >= p { digits += 1; p = p &* 10 }
        var x = v
        var i = count + digits
        while x >= 100 {
            let pair = ByteBuffer.digitPairs.utf8Start + 2 * Int(x % 100)
            x /= 100
            i -= 2
            base[i] = pair[0]
            base[i + 1] = pair[1]
        }
        if x >= 10 {
            let pair = ByteBuffer.digitPairs.utf8Start + 2 * Int(x)
            base[i - 2] = pair[0]
            base[i - 1] = pair[1]
        } else {
            base[i - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: x)
        }
        count += digits
    }

    mutating func appendDecimal(signed v: Int64) {
        if v < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(v.magnitude)
    }

    private static let hexLower: StaticString = "0123456789abcdef"

    /// `0x` and lower-case hex without leading zeros (Rust's `{:#x}`).
    mutating func appendHexInt(_ v: UInt64) {
        reserve(18)
        put(UInt8(ascii: "0"))
        put(UInt8(ascii: "x"))
        let digits = max(1, (64 - v.leadingZeroBitCount + 3) / 4)
        let hex = ByteBuffer.hexLower.utf8Start
        var shift = UInt64(4 * (digits - 1))
        for _ in 0..<digits {
            put(hex[Int((v >> shift) & 0xF)])
            shift &-= 4
        }
    }
}
