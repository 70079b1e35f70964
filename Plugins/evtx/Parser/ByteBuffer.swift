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

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        put(b)
    }

    mutating func append(_ p: UnsafeRawBufferPointer) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: p.count)
        count += p.count
    }

    mutating func append(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends a copy of `n` of this buffer's own bytes from `start` (they stay where they are).
    mutating func appendOwn(from start: Int, count n: Int) {
        guard n > 0, start >= 0, start <= count - n else { return }
        reserve(n)
        UnsafeMutableRawPointer(base + count).copyMemory(from: base + start, byteCount: n)
        count += n
    }

    /// Unsigned decimal.
    mutating func appendDecimal(_ v: UInt64) {
        reserve(20)
        var digits = 1
        var p: UInt64 = 10
        while digits < 20 && v >= p { digits += 1; p = p &* 10 }
        var x = v
        var i = count + digits - 1
        while i >= count {
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: x % 10)
            x /= 10
            i -= 1
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
        var digits = 1
        while digits < 16 && v >> (4 * UInt64(digits)) != 0 { digits += 1 }
        let hex = ByteBuffer.hexLower.utf8Start
        for k in stride(from: digits - 1, through: 0, by: -1) { put(hex[Int((v >> (4 * UInt64(k))) & 0xF)]) }
    }
}
